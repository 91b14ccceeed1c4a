#include "i18n.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Where `ninja` puts the compiled translations (po/ko/LC_MESSAGES/atonce.mo),
 * and where `meson install` puts them; both come from meson. */
#ifndef ATONCE_BUILD_LOCALEDIR
#define ATONCE_BUILD_LOCALEDIR ""
#endif
#ifndef ATONCE_LOCALEDIR
#define ATONCE_LOCALEDIR "/usr/local/share/locale"
#endif

/* A program run from the build tree finds its translations there, so a
 * student sees Korean without installing anything. */
static const char *locale_dir(void)
{
    struct stat st;
    if (ATONCE_BUILD_LOCALEDIR[0] != '\0' && stat(ATONCE_BUILD_LOCALEDIR, &st) == 0 && S_ISDIR(st.st_mode))
        return ATONCE_BUILD_LOCALEDIR;
    return ATONCE_LOCALEDIR;
}

static bool is_c_locale(const char *name)
{
    return name == NULL || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0;
}

/* gettext ignores LANGUAGE in the "C" locale, which is all that many
 * containers and CI machines have (or what is left when the locale asked
 * for is not installed). C.UTF-8 is there on every glibc we build on, and
 * lets LANGUAGE choose. */
static void let_language_choose(void)
{
    const char *language = getenv("LANGUAGE");
    if (language != NULL && language[0] != '\0' && is_c_locale(setlocale(LC_MESSAGES, NULL)))
        setlocale(LC_MESSAGES, "C.UTF-8");
}

/* The locale the environment asks for, in the order setlocale reads it. */
static const char *asked_locale(void)
{
    static const char *const names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *value = getenv(names[i]);
        if (value != NULL && value[0] != '\0')
            return value;
    }
    return NULL;
}

void i18n_init(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    if (setlocale(LC_MESSAGES, "") == NULL) {
        /* The locale asked for is not installed (often so in WSL and in
         * containers). Its language can still choose the translation. */
        const char *asked = asked_locale(), *language = getenv("LANGUAGE");
        if (!is_c_locale(asked) && (language == NULL || language[0] == '\0'))
            setenv("LANGUAGE", asked, 1);
    }
    let_language_choose();
    bindtextdomain(ATONCE_TEXT_DOMAIN, locale_dir());
    /* The translations are UTF-8, as are the notes and the terminals they
     * are read on; no conversion to a locale's older character set. */
    bind_textdomain_codeset(ATONCE_TEXT_DOMAIN, "UTF-8");
    textdomain(ATONCE_TEXT_DOMAIN);
}

void i18n_use_language(const char *code)
{
    i18n_init();
    setenv("LANGUAGE", code, 1);
    let_language_choose();
    /* Choosing the domain again, even the same one, tells glibc's gettext to
     * forget the translations it has looked up: they were for the language
     * before (its cache is keyed by the locale, not by LANGUAGE). */
    textdomain(ATONCE_TEXT_DOMAIN);
}

const char *i18n_language(void)
{
    i18n_init();
    /* TRANSLATORS: the code of the language you translate into ("ko"). */
    return _("en");
}

bool i18n_korean(void)
{
    return strcmp(i18n_language(), "ko") == 0;
}

const char *i18n_count_cpus(size_t n, char *buf, size_t size)
{
    snprintf(buf, size, ngettext("%zu CPU", "%zu CPUs", n), n);
    return buf;
}

/* The wide characters a Korean text meets: Hangul Jamo, CJK and its
 * punctuation, Hangul syllables, compatibility ideographs, full-width forms. */
static bool is_wide(unsigned long code)
{
    return (code >= 0x1100 && code <= 0x115F) || (code >= 0x2E80 && code <= 0xA4CF) ||
           (code >= 0xAC00 && code <= 0xD7A3) || (code >= 0xF900 && code <= 0xFAFF) ||
           (code >= 0xFE30 && code <= 0xFE4F) || (code >= 0xFF00 && code <= 0xFF60) ||
           (code >= 0xFFE0 && code <= 0xFFE6);
}

int i18n_bytes_within(const char *text, size_t columns)
{
    size_t used = 0, i = 0;
    while (text[i] != '\0') {
        unsigned char lead = (unsigned char)text[i];
        size_t bytes = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        size_t width = i18n_columns(text + i, bytes);
        if (used + width > columns)
            break;
        used += width;
        i += bytes;
    }
    return (int)i;
}

size_t i18n_columns(const char *text, size_t length)
{
    size_t columns = 0;
    for (size_t i = 0; i < length && text[i] != '\0';) {
        unsigned char lead = (unsigned char)text[i];
        size_t bytes = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        unsigned long code = bytes == 1 ? lead : lead & (0x7Fu >> bytes);
        for (size_t k = 1; k < bytes && i + k < length; k++)
            code = (code << 6) | ((unsigned char)text[i + k] & 0x3Fu);
        columns += is_wide(code) ? 2 : 1;
        i += bytes;
    }
    return columns;
}
