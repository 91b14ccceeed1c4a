/*
 * tour: the whole lesson at the projector. It runs every demo in the order
 * of notes/README.md, with short settings, and before each one prints its
 * title, the one question it answers, the exact command (so students can
 * run it again themselves) and the note to open.
 *
 * Usage: tour [--quick] [--no-pause] [--predict] [--lang en|ko]
 *
 * On a terminal it waits for Enter between demos (s skips one, q quits).
 * With --no-pause, or when stdin is not a terminal, it goes straight on.
 * --predict asks the question first and, after the run, shows the student's
 * guess beside the answer.
 *
 * Each demo runs as a child in a process group of its own, so that the
 * tour can stop the demo's whole group (the demo and any children it
 * started), reap it and exit 130 on Ctrl-C (143 for SIGTERM), leaving
 * nothing behind. At a terminal the demo's group is the terminal's
 * foreground group while it runs, as a shell does with a job: under
 * `stty tostop` a background group that writes to the terminal is stopped.
 * Ctrl-C typed then reaches the demo's group; the tour sees the demo end
 * with 130 and stops as well.
 */
#include "child.h"
#include "options.h"
#include "output.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define MAX_ARGS   8
#define STOP_GRACE 1.0 /* seconds between SIGINT to the demo's group and SIGKILL */

/* One stop of the tour: one note and the demo run beside it. */
struct stop {
    const char *note; /* its file name, the same in notes/ and notes/ko/ */
    const char *title[2];
    const char *question[2];
    const char *answer[2];
    const char *const argv[MAX_ARGS];       /* the demo and its flags */
    const char *const quick_argv[MAX_ARGS]; /* with --quick */
    bool mpi;                               /* started by mpirun, and only there when built with Open MPI */
};

enum { EN, KO };

/* The lesson, in the order of notes/README.md. A test checks the two agree. */
static const struct stop stops[] = {
    {"00-concurrency-vs-parallelism.md",
     {"Concurrency and parallelism: the whole lesson in one second",
      "동시성과 병렬성: 1초 만에 보는 수업 전체"},
     {"Ten short sleeps and two short computations, on all CPUs and then on one:\n"
      "which of them get faster with threads?",
      "짧은 잠자기 10개와 짧은 계산 2개를 모든 CPU에서, 그다음 CPU 하나에서 실행한다.\n"
      "스레드로 빨라지는 것은 어느 쪽일까?"},
     {"The sleeps, close to 10x, even on one CPU. The computing only with 2 CPUs,\n"
      "and at most 2x: one per CPU.",
      "잠자기는 CPU 하나에서도 10배 가까이 빨라진다. 계산은 CPU가 2개일 때만,\n"
      "그것도 CPU 수만큼(최대 2배)만 빨라진다."},
     {"versus", "--quick"},
     {"versus", "--quick"},
     false},
    {"01-sleep.md",
     {"Waiting overlaps", "기다림은 겹친다"},
     {"Ten sleeps take ten times one sleep, one after another. With threads,\n"
      "pinned to one CPU, how long do they take?",
      "잠자기 10개를 차례로 실행하면 잠자기 하나의 10배가 걸린다. CPU 하나에 묶어 두고\n"
      "스레드로 실행하면 얼마나 걸릴까?"},
     {"About as long as one sleep: a sleeping task needs no CPU, so the waits\n"
      "overlap even on one CPU. That is concurrency.",
      "잠자기 하나만큼: 자고 있는 작업은 CPU가 필요 없어서, CPU 하나에서도\n"
      "기다림이 겹친다. 이것이 동시성이다."},
     {"sleep", "--cpus", "0", "--runs", "1", "--warmup", "0"},
     {"sleep", "--cpus", "0", "--quick"},
     false},
    {"02-cpu.md",
     {"Computing needs CPUs", "계산에는 CPU가 필요하다"},
     {"One computing task per CPU: how much faster than one after another are\n"
      "threads and processes?",
      "CPU마다 계산 작업 하나씩: 스레드와 프로세스는 차례로 실행할 때보다\n"
      "얼마나 빠를까?"},
     {"At most as many times as there are CPUs (2x on 2 CPUs), with CPU use near\n"
      "200%: computing speeds up only by running in parallel.",
      "많아야 CPU 수만큼(CPU 2개면 2배), CPU 사용률은 200% 가까이: 계산은\n"
      "병렬로 실행해야만 빨라진다."},
     {"cpu", "--runs", "1"},
     {"cpu", "--quick"},
     false},
    {"03-versus.md",
     {"Both side by side", "둘을 나란히"},
     {"Pinned to one CPU, which still gets faster with threads: sleeping or computing?",
      "CPU 하나에 묶으면, 스레드로 여전히 빨라지는 것은 잠자기일까 계산일까?"},
     {"Sleeping (close to 10x). Computing drops to about 1x: one CPU can wait for\n"
      "many things at once, but compute only one.",
      "잠자기(10배 가까이). 계산은 약 1배로 떨어진다: CPU 하나는 여러 가지를 한꺼번에\n"
      "기다릴 수 있지만, 계산은 한 번에 하나만 한다."},
     {"versus", "--runs", "1"},
     {"versus", "--quick"},
     false},
    {"04-run_capture.md",
     {"Run a program, capture its output", "프로그램을 실행하고 출력 받기"},
     {"echo gets the greeting 'Hello from the child process!' with no shell in\n"
      "between. How many bytes does the parent capture?",
      "셸 없이 echo에 'Hello from the child process!'를 넘긴다. 부모 프로세스는\n"
      "몇 바이트를 받을까?"},
     {"30: the 29 characters and the newline echo adds.", "30바이트: 29글자에 echo가 붙이는 줄바꿈 하나."},
     {"run_capture"},
     {"run_capture"},
     false},
    {"05-poll_child.md",
     {"Polling burns a CPU, waiting does not", "폴링은 CPU를 태우고, 기다림은 태우지 않는다"},
     {"While a child sleeps, the parent asks \"finished yet?\" in a loop, then waits\n"
      "properly. How much CPU does each way of waiting burn?",
      "자식 프로세스가 자는 동안 부모가 \"끝났니?\"를 반복해서 묻고, 그다음에는 제대로\n"
      "기다린다. 각 방법은 CPU를 얼마나 쓸까?"},
     {"The loop keeps one CPU busy nearly 100% of the time; the blocking wait uses\n"
      "close to 0%.",
      "반복해서 묻는 쪽은 CPU 하나를 거의 100% 쓰고, 블로킹 대기 쪽은 거의 0%를 쓴다."},
     {"poll_child"},
     {"poll_child", "--seconds", "0.1"},
     false},
    {"06-parallel_children.md",
     {"Many children at once", "자식 프로세스 여러 개를 한꺼번에"},
     {"Ten children each run sleep. Started all at once, then waited for: how long,\n"
      "compared with one after another?",
      "자식 프로세스 10개가 각각 sleep을 실행한다. 한꺼번에 시작하고 나서 기다리면,\n"
      "차례로 할 때와 비교해 얼마나 걸릴까?"},
     {"About as long as one child: they all wait at the same time, even on one CPU.",
      "자식 하나만큼: 모두 동시에 기다리니까. CPU가 하나여도 같다."},
     {"parallel_children"},
     {"parallel_children", "--quick"},
     false},
    {"07-pipe_input.md",
     {"Feeding a child's stdin", "자식 프로세스의 stdin에 데이터 넣기"},
     {"Three openssl children encrypt at once. Where does the password go, so that\n"
      "ps cannot show it to other users?",
      "openssl 자식 프로세스 3개가 동시에 암호화한다. 다른 사용자가 ps로 볼 수 없도록\n"
      "비밀번호는 어디에 넣을까?"},
     {"In the environment (-pass env:password), never in argv: anyone on the\n"
      "machine can read a process's argv.",
      "환경 변수에 넣는다(-pass env:password). argv에는 절대 넣지 않는다: argv는\n"
      "그 컴퓨터의 누구나 읽을 수 있다."},
     {"pipe_input"},
     {"pipe_input"},
     false},
    {"08-pipeline.md",
     {"Pipelines, and the hang when the parent keeps a pipe",
      "파이프라인, 그리고 부모가 파이프를 쥐고 있을 때의 멈춤"},
     {"If the parent keeps its own copy of the pipe between two stages, when does\n"
      "the second stage finish?",
      "부모가 두 단계 사이 파이프의 자기 복사본을 닫지 않으면, 두 번째 단계는\n"
      "언제 끝날까?"},
     {"Never by itself: it waits for an end-of-file that cannot come while the\n"
      "parent holds the write end. The demo cuts the hang off after 2 s; once the\n"
      "parent closes its copy, the chain finishes at once.",
      "스스로는 끝나지 않는다: 부모가 쓰기 쪽 끝을 쥐고 있는 한 파일 끝(EOF)이 오지\n"
      "않는다. 데모는 2초 뒤에 멈춤을 끊고, 부모가 복사본을 닫자마자 바로 끝난다."},
     {"pipeline", "--keep-pipe-open"},
     {"pipeline", "--keep-pipe-open"},
     false},
    {"09-timeout.md",
     {"Stopping a child after a timeout", "타임아웃이 지나면 자식 프로세스 멈추기"},
     {"The parent stops a child that started a grandchild. Does the grandchild\n"
      "stop too?",
      "부모가 손자 프로세스를 만든 자식을 멈춘다. 손자도 함께 멈출까?"},
     {"Not when only the child is signalled: the grandchild lives on and keeps the\n"
      "pipe open. It stops when the child leads a process group and the whole\n"
      "group is signalled.",
      "자식에게만 시그널을 보내면 아니다: 손자는 살아남아 파이프를 계속 열어 둔다.\n"
      "자식을 새 프로세스 그룹의 리더로 만들고 그룹 전체에 보내야 함께 멈춘다."},
     {"timeout"},
     {"timeout"},
     false},
    {"10-why-these-commands-changed.md",
     {"Why the study note's openssl commands changed", "학습 노트의 openssl 명령이 바뀐 이유"},
     {"The study note hashed with whirlpool. Does OpenSSL 3 still run it?",
      "학습 노트는 whirlpool로 해시를 만들었다. OpenSSL 3에서도 될까?"},
     {"Not by default: whirlpool moved to OpenSSL 3's legacy provider. The demo\n"
      "asks for that provider when you choose --digest whirlpool.",
      "기본으로는 안 된다: whirlpool은 OpenSSL 3의 legacy 프로바이더로 옮겨졌다.\n"
      "--digest whirlpool을 고르면 데모가 그 프로바이더를 불러 쓴다."},
     {"pipeline", "--digest", "whirlpool"},
     {"pipeline", "--digest", "whirlpool"},
     false},
    {"11-gil.md",
     {"A global lock, like Python's GIL", "파이썬 GIL 같은 전역 락"},
     {"Threads that must hold one global lock to compute: how much faster than one\n"
      "after another, on 2 CPUs? And when they sleep?",
      "계산하려면 전역 락 하나를 쥐어야 하는 스레드들: CPU 2개에서 차례로 할 때보다\n"
      "얼마나 빠를까? 잠잘 때는?"},
     {"Computing: about 1x, the lock lets one thread compute at a time. Sleeping\n"
      "still overlaps: the lock is let go while waiting. That is why Python\n"
      "computes in processes.",
      "계산: 약 1배. 락이 한 번에 스레드 하나만 계산하게 한다. 잠자기는 여전히 겹친다:\n"
      "기다리는 동안 락을 놓기 때문이다. 그래서 파이썬은 계산을 프로세스로 나눈다."},
     {"gil", "--runs", "1"},
     {"gil", "--quick"},
     false},
    {"12-spawn_cost.md",
     {"What starting costs", "시작하는 데 드는 비용"},
     {"What costs more to start and finish: a thread, a forked process, or a new\n"
      "program? By how much?",
      "시작하고 끝내는 데 무엇이 더 비쌀까: 스레드, fork한 프로세스, 새 프로그램?\n"
      "얼마나 차이 날까?"},
     {"A thread is cheapest (tens of microseconds), fork several times more, a new\n"
      "program more again: tiny tasks gain nothing from running in parallel.",
      "스레드가 가장 싸고(수십 마이크로초), fork는 몇 배, 새 프로그램은 그보다 더 든다:\n"
      "아주 작은 작업은 병렬로 돌려도 얻는 것이 없다."},
     {"spawn_cost"},
     {"spawn_cost", "--quick"},
     false},
    {"13-event_loop.md",
     {"One thread, many timers: an event loop", "스레드 하나, 타이머 여러 개: 이벤트 루프"},
     {"Can one thread overlap ten sleeps, with no other threads?",
      "다른 스레드 없이 스레드 하나로 잠자기 10개를 겹칠 수 있을까?"},
     {"Yes: it waits for the earliest deadline, so the run takes about one sleep.\n"
      "But it cannot compute two things at once.",
      "그렇다: 가장 이른 마감 시각까지 기다리므로 전체가 잠자기 하나만큼 걸린다.\n"
      "하지만 두 가지를 동시에 계산하지는 못한다."},
     {"event_loop", "--runs", "1"},
     {"event_loop", "--quick"},
     false},
    {"14-scaling.md",
     {"Scaling: more workers than CPUs", "확장: CPU보다 많은 워커"},
     {"One fixed job, split over more and more workers: where does the speedup stop?",
      "정해진 일 하나를 점점 더 많은 워커에게 나눈다: 속도 향상은 어디서 멈출까?"},
     {"At the number of CPUs: more workers than CPUs only take turns.",
      "CPU 수에서: CPU보다 많은 워커는 번갈아 가며 실행될 뿐이다."},
     {"scaling"},
     {"scaling", "--quick"},
     false},
    {"15-mpi.md",
     {"Beyond one machine: the same work on MPI ranks", "한 대를 넘어서: 같은 일을 MPI 랭크로"},
     {"Two MPI ranks share the computing tasks and combine their checksums in\n"
      "messages. How close to 2x do they get, compared with one rank alone?",
      "MPI 랭크 2개가 계산 작업을 나누고 체크섬을 메시지로 합친다. 랭크 하나로 할\n"
      "때와 비교해 2배에 얼마나 가까울까?"},
     {"Close to 2x on 2 CPUs, with the same checksum as the sequential run: ranks\n"
      "are processes, so the ceiling is still the CPUs you have (on every host).",
      "CPU 2개에서 2배 가까이, 체크섬은 순차 실행과 같다: 랭크도 프로세스라서\n"
      "한계는 여전히 가진 CPU 수다(모든 호스트를 합쳐서)."},
     {"mpi_cpu", "--runs", "1"},
     {"mpi_cpu", "--quick"},
     true},
};

#define STOP_COUNT (sizeof stops / sizeof stops[0])

#define NOT_BUILT_EN                                                \
    "mpi_cpu was not built: Open MPI was not found. To build it:\n" \
    "  sudo apt-get install libopenmpi-dev openmpi-bin\n"           \
    "  meson setup --reconfigure build && meson compile -C build"
#define NOT_BUILT_KO                                                                      \
    "mpi_cpu가 빌드되지 않았다: Open MPI를 찾지 못했다. 빌드하려면:\n" \
    "  sudo apt-get install libopenmpi-dev openmpi-bin\n"                                 \
    "  meson setup --reconfigure build && meson compile -C build"

static bool quick, no_pause, predict;
static const char *lang = "en";
static const char *const languages[] = {"en", "ko", NULL};

static const struct demo_flag flags[] = {
    {"quick", DEMO_FLAG_SWITCH, NULL, "each demo's short settings: at most 15 s in all", &quick, NULL},
    {"no-pause", DEMO_FLAG_SWITCH, NULL, "do not wait for Enter between demos", &no_pause, NULL},
    {"predict", DEMO_FLAG_SWITCH, NULL, "ask each question first, answer it after the run", &predict, NULL},
    {"lang", DEMO_FLAG_CHOICE, "LANG", "en or ko: the notes (and the questions) in Korean", &lang, languages},
    {0},
};

static const struct demo_info demo = {
    .name = "tour",
    .summary = "Runs every demo in the order of the lesson, each with its title, question,\n"
               "command and note. Waits for Enter between demos on a terminal.",
    .note = "notes/README.md",
    .flags = flags,
    .exit_help = "0 ok, 1 a demo failed, 2 bad usage, 130 Ctrl-C, 143 SIGTERM.",
};

/* ---- signals: Ctrl-C ends the tour, cleanly ---------------------------- */

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

/* No SA_RESTART: a read of the keyboard or a wait returns at once with
 * EINTR, and the loop that made it sees stop_signal. */
static void catch_stop_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);  /* the terminal closed */
    sigaction(SIGQUIT, &sa, NULL); /* Ctrl-\ */
    /* Ctrl-Z would stop the tour alone while the demo, in its own group,
     * ran on: the tour does not stop (Ctrl-C does). */
    signal(SIGTSTP, SIG_IGN);
}

/* The tour is a subreaper: whatever a demo started outside its own group
 * (timeout's forker group, mpirun's ranks) becomes the tour's child when
 * the demo dies. Kill those still alive (kill_them), reap all. */
static void reap_orphans(bool kill_them)
{
    for (int round = 0; kill_them && round < 10; round++) { /* their children come to us next */
        DIR *proc = opendir("/proc");
        int killed = 0;
        for (struct dirent *e; proc != NULL && (e = readdir(proc)) != NULL;) {
            char path[300], stat[512];
            snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
            FILE *f = e->d_name[0] >= '1' && e->d_name[0] <= '9' ? fopen(path, "r") : NULL;
            size_t n = f != NULL ? fread(stat, 1, sizeof stat - 1, f) : 0;
            if (f != NULL)
                fclose(f);
            stat[n] = '\0';
            const char *after_name = strrchr(stat, ')'); /* "pid (name) S ppid ..." */
            int ppid = 0;
            if (after_name != NULL && sscanf(after_name, ") %*c %d", &ppid) == 1 && ppid == getpid()) {
                kill(atoi(e->d_name), SIGKILL);
                killed++;
            }
        }
        if (proc != NULL)
            closedir(proc);
        while (waitpid(-1, NULL, 0) > 0) /* reap them, and any that died before */
            ;
        if (killed == 0)
            break;
    }
    while (waitpid(-1, NULL, WNOHANG) > 0) /* orphans that ended by themselves */
        ;
}

/* ---- the terminal: the demo in front while it runs --------------------- */

/* The terminal to hand to each demo: the tour's controlling terminal, on
 * stdin, stdout or stderr, while the tour is its foreground group. -1:
 * none (not at a terminal, or the tour itself runs in the background). */
static int foreground_terminal(void)
{
    const int fds[] = {STDOUT_FILENO, STDERR_FILENO, STDIN_FILENO};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (tcgetpgrp(fds[i]) == getpgrp())
            return fds[i];
    return -1;
}

/* Makes `group` the terminal's foreground group. Once the tour has given the
 * terminal away it is in the background, and tcsetpgrp from there would
 * stop it with SIGTTOU: blocked, the signal lets the call through (POSIX).
 * A failure leaves the terminal as it was: nothing better to do. */
static void give_terminal(int terminal, pid_t group)
{
    if (terminal < 0)
        return;
    sigset_t ttou, saved;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_BLOCK, &ttou, &saved);
    (void)tcsetpgrp(terminal, group);
    sigprocmask(SIG_SETMASK, &saved, NULL);
}

/* A demo that has the terminal can be stopped from it (Ctrl-Z): the tour
 * never stops (SIGTSTP is ignored), so neither does the demo. Also ends
 * the stop of a demo that wrote before it was given the terminal. */
static void keep_demo_running(const struct child *c)
{
    siginfo_t info = {0};
    if (waitid(P_PID, (id_t)c->pid, &info, WSTOPPED | WNOHANG) == 0 && info.si_pid == c->pid)
        kill(-c->pid, SIGCONT); /* its whole group */
}

/* Whether a demo that had the terminal ended because Ctrl-C (or Ctrl-\)
 * was typed: its group got the signal, not the tour. Demos exit 128 + the
 * signal (lib/interrupt.h); a program without a handler dies of it. */
static int keyboard_signal(int returncode)
{
    if (returncode == 128 + SIGINT || returncode == -SIGINT)
        return SIGINT;
    if (returncode == 128 + SIGQUIT || returncode == -SIGQUIT)
        return SIGQUIT;
    return 0;
}

/* ---- printing ------------------------------------------------------------ */

static bool color;

static void print_bold(const char *text)
{
    printf(color ? "\033[1m%s\033[0m" : "%s", text);
}

/* The command line of a stop: the demo's path and its flags, after mpirun
 * for an MPI demo. Open MPI refuses to run as root unless told it may:
 * only then is --allow-run-as-root added (in CI, say), in plain sight. */
static size_t build_argv(const struct stop *s, const char *path, const char *argv[MAX_ARGS + 8])
{
    const char *const *flags = quick ? s->quick_argv : s->argv;
    size_t n = 0;
    if (s->mpi) {
        argv[n++] = "mpirun";
        if (geteuid() == 0)
            argv[n++] = "--allow-run-as-root";
        argv[n++] = "-np";
        argv[n++] = "2";
    }
    argv[n++] = path;
    for (size_t i = 1; flags[i] != NULL; i++)
        argv[n++] = flags[i];
    argv[n] = NULL;
    return n;
}

/* "build/demos/sleep --runs 1", as the user can type it again. */
static void format_command(const char *const argv[], char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; argv[i] != NULL && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i > 0 ? " " : "", argv[i]);
}

static void print_header(size_t index, const struct stop *s, int language, const char *command)
{
    char heading[160];
    snprintf(heading, sizeof heading, "[%zu/%zu] %s", index + 1, STOP_COUNT, s->title[language]);
    printf("\n");
    print_bold(heading);
    printf("\n%s\n", s->question[language]);
    printf("%s: %s\n", language == KO ? "명령" : "command", command);
    printf("%s: notes/%s%s\n\n", language == KO ? "노트" : "note", language == KO ? "ko/" : "", s->note);
}

/* ---- the keyboard ------------------------------------------------------- */

enum choice { RUN, SKIP, QUIT };

/* Reads one line from the terminal; false at end of input or on a signal.
 * read(), not stdio: a terminal hands over one line per read, and stdio
 * would keep the lines typed after it in its own buffer, out of reach of
 * forget_typed_ahead. */
static bool read_line(char *line, size_t size)
{
    output_flush(stdout);
    ssize_t n = read(STDIN_FILENO, line, size - 1);
    if (n <= 0)
        return false;
    line[n] = '\0';
    line[strcspn(line, "\n")] = '\0';
    return true;
}

/* Keys pressed while a demo ran were not answers to the next prompt (an
 * impatient Enter would run the next demo unseen): the terminal forgets them. */
static void forget_typed_ahead(void)
{
    tcflush(STDIN_FILENO, TCIFLUSH);
}

/* Whether the line is the one letter `key` (either case), with nothing else
 * but spaces: at the prediction prompt, "s" skips but "slower" is a guess. */
static bool only_key(const char *line, char key)
{
    line += strspn(line, " \t");
    return tolower((unsigned char)line[0]) == key && line[1 + strspn(line + 1, " \t")] == '\0';
}

static enum choice ask_to_go_on(int language)
{
    printf("%s",
           language == KO ? "Enter: 실행, s: 건너뛰기, q: 끝내기 > " : "Enter: run it, s: skip, q: quit > ");
    char line[64];
    if (!read_line(line, sizeof line))
        return QUIT;
    return only_key(line, 'q') ? QUIT : only_key(line, 's') ? SKIP : RUN;
}

/* ---- running one demo ------------------------------------------------- */

/* Waits for the demo in short waits, so that a Ctrl-C is seen within a
 * tenth of a second. Returns as child_wait does (-ETIMEDOUT: the tour was
 * stopped while the demo still ran). */
static int wait_for_demo(struct child *c, int terminal, struct child_error *error)
{
    int err;
    do {
        err = child_wait(c, 0.1, error);
        if (err == -ETIMEDOUT && terminal >= 0)
            keep_demo_running(c);
    } while (err == -ETIMEDOUT && stop_signal == 0);
    return err;
}

/* The tour is stopping: Ctrl-C to the demo's whole group, as a terminal
 * would send it; any other stop as SIGTERM. A grace period to finish, then
 * SIGKILL; then whatever the demo left behind. */
static void stop_demo(struct child *c)
{
    child_send_signal(c, stop_signal == SIGINT ? SIGINT : SIGTERM, NULL);
    if (child_wait(c, STOP_GRACE, NULL) != 0)
        child_stop(c, 0.0, NULL);
    child_close(c);
    reap_orphans(true);
}

/* Runs the demo in a process group of its own and waits for it. Returns
 * its returncode, or -1 when it could not start or the tour was stopped. */
static int run_demo(const char *const child_argv[], int language)
{
    /* Colour as the tour has it (a demo under mpirun sees a pseudo-terminal
     * even when the tour writes to a file), and each demo's last line names
     * the note in the tour's language (ATONCE_LANG, lib/options.h). */
    const char *env[3] = {language == KO ? "ATONCE_LANG=ko" : "ATONCE_LANG=", NULL, NULL};
    if (!color)
        env[1] = "NO_COLOR=1";
    struct child_options options = {
        .env_set = env,
        .in.mode = CHILD_DEVNULL, /* no demo reads the keyboard: the tour does */
        .new_process_group = true,
    };
    struct child c;
    struct child_error error = {0};
    char message[512];
    int terminal = foreground_terminal();
    output_flush(stdout);
    if (child_spawn(&c, child_argv, &options, &error) != 0) {
        child_error_format(&error, message, sizeof message);
        fprintf(stderr, "tour: %s\n", message);
        return -1;
    }
    give_terminal(terminal, c.pid); /* the demo leads its group: its id is the demo's pid */
    if (terminal >= 0)
        kill(-c.pid, SIGCONT); /* a write before it had the terminal may have stopped it */
    int err = wait_for_demo(&c, terminal, &error);
    int returncode = err == 0 ? child_returncode(&c) : -1;
    if (stop_signal == 0 && terminal >= 0) /* Ctrl-C typed at the terminal reached the demo alone */
        stop_signal = keyboard_signal(returncode);
    if (stop_signal != 0) {
        stop_demo(&c);
        give_terminal(terminal, getpgrp());
        return -1;
    }
    give_terminal(terminal, getpgrp()); /* before the tour writes again */
    if (err != 0) {
        child_error_format(&error, message, sizeof message);
        fprintf(stderr, "tour: %s\n", message);
    }
    child_close(&c);
    reap_orphans(false);
    return returncode;
}

/* Where the demos are: beside the tour itself. */
static void find_demo_dir(const char *argv0, char *out, size_t size)
{
    const char *slash = strrchr(argv0, '/');
    if (slash != NULL) {
        snprintf(out, size, "%.*s", (int)(slash - argv0), argv0);
        return;
    }
    /* Started through PATH: ask the kernel where we are. */
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = '\0';
    char *last = strrchr(self, '/');
    if (last != NULL)
        *last = '\0';
    snprintf(out, size, "%s", n > 0 ? self : ".");
}

/* The earlier stop that runs exactly this stop's command, or -1. Under
 * --quick the first stop and the versus stop are the same run. */
static long same_command_as(size_t index)
{
    for (size_t j = 0; j < index; j++) {
        const char *const *a = quick ? stops[j].quick_argv : stops[j].argv;
        const char *const *b = quick ? stops[index].quick_argv : stops[index].argv;
        size_t i = 0;
        while (a[i] != NULL && b[i] != NULL && strcmp(a[i], b[i]) == 0)
            i++;
        if (a[i] == NULL && b[i] == NULL)
            return (long)j;
    }
    return -1;
}

/* One stop: header, maybe a prediction, the run, maybe the answer. Returns
 * false when the tour should end here. */
static bool visit(size_t index, const char *demo_dir, bool pausing, int language, int *failures)
{
    const struct stop *s = &stops[index];
    const char *demo_name = s->argv[0];
    char command[1024], path[4096];
    if (snprintf(path, sizeof path, "%s/%s", demo_dir, demo_name) >= (int)sizeof path) {
        fprintf(stderr, "tour: the path to %s is too long\n", demo_name);
        return false;
    }
    const char *argv[MAX_ARGS + 8];
    build_argv(s, path, argv);
    format_command(argv, command, sizeof command);
    print_header(index, s, language, command);
    if (s->mpi && access(path, X_OK) != 0) { /* not built: say how, and go on */
        printf("%s\n", language == KO ? NOT_BUILT_KO : NOT_BUILT_EN);
        return true;
    }

    long earlier = same_command_as(index);
    if (earlier >= 0) { /* the same measurement again would only cost time: point back to it */
        printf(language == KO ? "%ld번 정류장과 같은 명령이다: 출력은 위에 있다.\n"
                              : "The same command as stop %ld: its output is above.\n",
               earlier + 1);
        if (predict) {
            print_bold(language == KO ? "답: " : "Answer: ");
            printf("%s\n", s->answer[language]);
        }
        return true;
    }

    char guess[256] = "";
    if (stop_signal != 0) /* arrived while we printed */
        return false;
    if (predict && pausing) { /* a guess, or s or q alone as at the other prompt */
        printf("%s", language == KO ? "예상은? (s: 건너뛰기, q: 끝내기) > "
                                    : "Your prediction? (s: skip, q: quit) > ");
        if (!read_line(guess, sizeof guess) || only_key(guess, 'q'))
            return false;
        if (only_key(guess, 's'))
            return true;
    } else if (pausing) {
        enum choice choice = ask_to_go_on(language);
        if (choice != RUN)
            return choice == SKIP;
    }
    if (stop_signal != 0) /* arrived while we read the keyboard */
        return false;
    int returncode = run_demo(argv, language);
    if (pausing)
        forget_typed_ahead();
    if (stop_signal != 0)
        return false;
    if (returncode != 0) {
        fprintf(stderr, "tour: %s %s\n", demo_name, returncode < 0 ? "did not run to the end" : "failed");
        (*failures)++;
    }
    if (predict) {
        printf("\n%s %s\n", language == KO ? "내 예상:" : "You said:", guess[0] != '\0' ? guess : "-");
        print_bold(language == KO ? "답: " : "Answer: ");
        printf("%s\n", s->answer[language]);
    }
    return true;
}

int main(int argc, char **argv)
{
    struct options opts;
    int done = options_parse(argc, argv, &demo, &opts);
    if (done != OPTIONS_RUN)
        return done;
    color = opts.color;
    int language = strcmp(lang, "ko") == 0 ? KO : EN;
    bool pausing = !no_pause && isatty(STDIN_FILENO);
    char demo_dir[4096];
    find_demo_dir(argv[0], demo_dir, sizeof demo_dir);
    catch_stop_signals();
    prctl(PR_SET_CHILD_SUBREAPER, 1); /* see reap_orphans */

    int failures = 0;
    size_t index = 0;
    while (index < STOP_COUNT && visit(index, demo_dir, pausing, language, &failures))
        index++;
    if (stop_signal != 0) {
        fprintf(stderr, "\ntour: stopped by %s%s; the demo and its children are gone\n",
                stop_signal == SIGINT ? "Ctrl-C" : "SIG",
                stop_signal == SIGINT ? "" : sigabbrev_np(stop_signal));
        return 128 + stop_signal;
    }
    printf("\n%s\n", index == STOP_COUNT ? (language == KO ? "투어 끝." : "End of the tour.")
                                         : (language == KO ? "투어를 멈췄다." : "Tour stopped."));
    printf("%s\n", language == KO ? "함께 읽기: notes/ko/README.md" : "Read alongside: notes/README.md");
    return failures > 0 ? 1 : 0;
}
