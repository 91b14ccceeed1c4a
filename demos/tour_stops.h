/*
 * tour_stops: the tour's lesson plan, one stop per note, in the order of
 * notes/README.md, each with its question and answer: in English here, in
 * Korean in po/ko.po (GNU gettext: print _(s->question)). An answer that
 * depends on the machine says {n}, {n_cpus}, {cpus}, {use} and {ht};
 * tour_fill puts in the machine's own numbers, so that an 8-CPU laptop is
 * not told "2x".
 */
#ifndef ATONCE_TOUR_STOPS_H
#define ATONCE_TOUR_STOPS_H

#include "machine.h"

#include <stdbool.h>
#include <stddef.h>

#define MAX_ARGS 8

/* One stop of the tour: one note and the demo run beside it. */
struct stop {
    const char *note;  /* its file name, the same in notes/ and notes/ko/ */
    const char *title; /* each in English, marked N_() for po/ko.po */
    const char *question;
    const char *answer;
    const char *const argv[MAX_ARGS];       /* the demo and its flags */
    const char *const quick_argv[MAX_ARGS]; /* with --quick */
    bool mpi;                               /* started by mpirun, and only there when built with Open MPI */
};

extern const struct stop tour_stops[];
extern const size_t tour_stop_count;

/* Copies `text` into `out` with the machine's numbers in place of
 *   {n}     how many CPUs this process may use: "8"
 *   {n_cpus} the same with its noun: "8 CPUs", "1 CPU"
 *   {cpus}  how many CPUs' worth may compute at once: "8", or a quota's "1.5"
 *   {use}   the CPU use of that many busy CPUs: "800%"
 *   {ht}    "", or a sentence that hyper-threads share cores, or that a
 *           hybrid CPU's efficiency cores are slower (expect less)
 * in the language of the output (lib/i18n.h); "?" for each number when the
 * machine could not be read. `text` is translated already: _(s->answer). */
void tour_fill(const char *text, const struct machine *m, char *out, size_t size);

/* Drops the last character of `text` when only its first bytes are there
 * (UTF-8 cut short by a buffer's size), so that no half of a Korean
 * syllable is printed. */
void tour_drop_cut_character(char *text);

#endif
