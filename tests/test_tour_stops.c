/* tour_stops: the tour's questions and answers, filled in for fixture
 * machines of 2, 16 (8 cores with hyper-threads), 64 CPUs and a CPU quota,
 * in both languages (Korean from po/ko.po, built into the build tree): each
 * quotes that machine's own numbers, none a fixed "2x" or "2 CPUs", and
 * every line fits 80 columns of a terminal (where a Korean syllable takes
 * two). */
#include "i18n.h"
#include "tour_stops.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#define FIXTURE(name) SOURCE_ROOT "/tests/machines/" name
#define COLUMNS       80

/* Columns on a terminal: ASCII one, a Hangul syllable or other East Asian
 * character (3 bytes in UTF-8, from U+1100 on) two. */
static size_t columns(const char *line, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        if ((c & 0xC0) == 0x80)
            continue;           /* a later byte of a character */
        n += c >= 0xE1 ? 2 : 1; /* 0xE1: the lead byte of U+1000 and up */
    }
    return n;
}

static void expect_lines_fit(const char *text, const char *what)
{
    for (const char *line = text; *line != '\0';) {
        size_t len = strcspn(line, "\n");
        cr_expect_leq(columns(line, len), COLUMNS, "%s: %zu columns:\n%.*s", what, columns(line, len),
                      (int)len, line);
        line += len + (line[len] == '\n');
    }
}

static const char *const languages[] = {"en", "ko"};

/* Every stop's question and answer on `fixture`, in both languages. */
static void check_machine(const char *fixture, const char *cpus_text)
{
    struct machine m;
    machine_read_at(fixture, NULL, &m);
    bool cpus_quoted[2] = {false, false};
    for (int language = 0; language < 2; language++) {
        i18n_use_language(languages[language]);
        cr_assert_str_eq(i18n_language(), languages[language], "the Korean translation is not built");
        for (size_t i = 0; i < tour_stop_count; i++) {
            const struct stop *s = &tour_stops[i];
            const char *texts[] = {_(s->question), _(s->answer)};
            for (size_t t = 0; t < 2; t++) {
                char filled[1024], what[128];
                tour_fill(texts[t], &m, filled, sizeof filled);
                snprintf(what, sizeof what, "%s, stop %zu (%s), %s", fixture, i + 1, s->note,
                         languages[language]);
                cr_expect_null(strchr(filled, '{'), "%s: a name left unfilled:\n%s", what, filled);
                expect_lines_fit(filled, what);
                /* mpi_cpu runs 2 ranks on any machine: its "2x" is theirs */
                if (!s->mpi && strcmp(cpus_text, "2") != 0) {
                    cr_expect_null(strstr(filled, " 2x"), "%s: says 2x:\n%s", what, filled);
                    cr_expect_null(strstr(filled, "2 CPUs"), "%s: says 2 CPUs:\n%s", what, filled);
                    cr_expect_null(strstr(filled, "CPU 2개"), "%s: says 2 CPUs:\n%s", what, filled);
                    cr_expect_null(strstr(filled, "최대 2배"), "%s: says 2x:\n%s", what, filled);
                }
                char own[32]; /* "16x", "16배" */
                snprintf(own, sizeof own, "%s%s", cpus_text, language == 1 ? "배" : "x");
                if (strstr(filled, own) != NULL)
                    cpus_quoted[language] = true;
            }
        }
    }
    cr_expect(cpus_quoted[0], "%s: no English answer quotes %sx", fixture, cpus_text);
    cr_expect(cpus_quoted[1], "%s: no Korean answer quotes %s배", fixture, cpus_text);
}

Test(tour_stops, a_2_cpu_vm)
{
    check_machine(FIXTURE("vm-2cpu"), "2");
}

Test(tour_stops, an_8_core_16_thread_laptop_hears_of_its_hyper_threads)
{
    check_machine(FIXTURE("laptop-8c16t"), "16");
    struct machine m;
    machine_read_at(FIXTURE("laptop-8c16t"), NULL, &m);
    char filled[1024];
    i18n_use_language("en");
    tour_fill("{ht}", &m, filled, sizeof filled);
    cr_expect_not_null(strstr(filled, "8 cores"), "%s", filled);
    i18n_use_language("ko");
    tour_fill("{ht}", &m, filled, sizeof filled);
    cr_expect_not_null(strstr(filled, "8개"), "%s", filled);
}

Test(tour_stops, a_64_cpu_server)
{
    check_machine(FIXTURE("server-2x16c32t"), "64");
}

Test(tour_stops, a_quota_of_one_and_a_half_cpus)
{
    check_machine(FIXTURE("quota-v2"), "1.5");
}

Test(tour_stops, one_cpu_is_one_cpu)
{
    check_machine(FIXTURE("one-cpu"), "1");
    struct machine m;
    machine_read_at(FIXTURE("one-cpu"), NULL, &m);
    char filled[1024];
    i18n_use_language("en");
    tour_fill("on {n_cpus}", &m, filled, sizeof filled);
    cr_expect_str_eq(filled, "on 1 CPU");
    i18n_use_language("ko");
    tour_fill("{n_cpus}", &m, filled, sizeof filled);
    cr_expect_str_eq(filled, "CPU 1개");
}

/* 6 hyper-threaded performance cores and 8 efficiency cores: the answer
 * names the slower cores, not "two CPUs share each core". */
Test(tour_stops, a_hybrid_laptop_hears_of_its_efficiency_cores)
{
    check_machine(FIXTURE("hybrid-6p8e"), "20");
    struct machine m;
    machine_read_at(FIXTURE("hybrid-6p8e"), NULL, &m);
    char filled[1024];
    i18n_use_language("en");
    tour_fill("{ht}", &m, filled, sizeof filled);
    cr_expect_not_null(strstr(filled, "efficiency cores are slower"), "%s", filled);
    cr_expect_null(strstr(filled, "share each core"), "%s", filled);
}

/* A machine that could not be read says "?", never "0x on 0 CPUs". */
Test(tour_stops, an_unread_machine_says_so)
{
    struct machine m = {0};
    char filled[1024];
    i18n_use_language("en");
    tour_fill("at most {cpus}x on {n_cpus}, near {use}{ht}", &m, filled, sizeof filled);
    cr_expect_str_eq(filled, "at most ?x on ? CPUs, near ?%");
    i18n_use_language("ko");
    tour_fill("{n_cpus}", &m, filled, sizeof filled);
    cr_expect_str_eq(filled, "CPU ?개");
}

Test(tour_stops, fill_cuts_short_rather_than_overflow)
{
    struct machine m;
    machine_read_at(FIXTURE("vm-2cpu"), NULL, &m);
    char small[8];
    i18n_use_language("en");
    tour_fill("at most {cpus}x on {cpus} CPUs", &m, small, sizeof small);
    cr_expect_str_eq(small, "at most");
}

Test(tour_stops, a_korean_syllable_cut_short_is_dropped)
{
    char text[] = "\xea\xb0\x80\xea\xb0"; /* "가" whole, then the first 2 of 3 bytes of another */
    tour_drop_cut_character(text);
    cr_expect_str_eq(text, "\xea\xb0\x80");
    tour_drop_cut_character(text); /* whole: kept */
    cr_expect_str_eq(text, "\xea\xb0\x80");
    char ascii[] = "abc";
    tour_drop_cut_character(ascii);
    cr_expect_str_eq(ascii, "abc");
}
