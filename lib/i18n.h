/*
 * i18n: the output in the user's language, through GNU gettext. Texts are
 * written in English and wrapped in _() where they are printed (N_() marks
 * one kept in a table and translated where it is printed); po/ko.po holds
 * their Korean. The language is the one the locale asks for: LANGUAGE,
 * then LC_ALL, LC_MESSAGES and LANG, as every GNU program reads them
 * (`LANGUAGE=ko build/demos/cpu`; the tour's --lang ko sets LANGUAGE).
 *
 * Only the messages follow the locale: numbers keep their '.', since
 * LC_NUMERIC is left alone (a comma would break --json and --csv).
 */
#ifndef ATONCE_I18N_H
#define ATONCE_I18N_H

#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>

#define ATONCE_TEXT_DOMAIN "atonce"

/* _ is gettext's own convention, the name xgettext and translators know. */
#define _(text)  gettext(text) // NOLINT(bugprone-reserved-identifier)
#define N_(text) text

/* Reads the locale and finds the translations: in the build tree when the
 * program runs from it, else where meson installs them. Call it before
 * the first _(); calling it again does nothing. */
void i18n_init(void);

/* Makes the output `code`'s ("ko", or "en" for the English texts) for this
 * process and the programs it starts, whatever the locale asked for: the
 * tour's --lang. */
void i18n_use_language(const char *code);

/* The language the texts come out in: "en", or "ko" when po/ko.po is
 * used. The notes are chosen by it (notes/ko/ for Korean). */
const char *i18n_language(void);

/* Is the output in Korean? */
bool i18n_korean(void);

/* How many terminal columns the first `length` bytes of UTF-8 `text` take:
 * 2 for a Hangul syllable or another wide East Asian character, else 1. */
size_t i18n_columns(const char *text, size_t length);

/* How many bytes of `text` fit in `columns` terminal columns, ending at a
 * whole character: for "%.*s", which counts bytes, so that a Korean text
 * cut short is never cut in the middle of a syllable. */
int i18n_bytes_within(const char *text, size_t columns);

/* "1 CPU", "2 CPUs": a count with its word, in the order its language puts
 * them ("CPU 2개"). Returns buf. */
const char *i18n_count_cpus(size_t n, char *buf, size_t size);

#endif
