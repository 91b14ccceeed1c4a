#include "tour_stops.h"

#include <stdio.h>
#include <string.h>

/* The lesson, in the order of notes/README.md. A test checks the two agree. */
const struct stop tour_stops[] = {
    {"00-concurrency-vs-parallelism.md",
     {"Concurrency and parallelism: the whole lesson in one second",
      "동시성과 병렬성: 1초 만에 보는 수업 전체"},
     {"Ten short sleeps and one short computation per CPU ({n} here), on all CPUs\n"
      "and then on one: which of them get faster with threads?",
      "짧은 잠자기 10개와 CPU마다 짧은 계산 하나씩(여기서는 {n}개)을 모든 CPU에서,\n"
      "그다음 CPU 하나에서 실행한다. 스레드로 빨라지는 것은 어느 쪽일까?"},
     {"The sleeps, close to 10x, even on one CPU. The computing only on more than\n"
      "one CPU, and at most as many times as CPUs compute at once: {cpus}x here.{ht}",
      "잠자기는 CPU 하나에서도 10배 가까이 빨라진다. 계산은 CPU가 둘 이상일 때만,\n"
      "그것도 동시에 계산하는 CPU 수만큼만 빨라진다: 여기서는 최대 {cpus}배.{ht}"},
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
     {"At most as many times as CPUs compute at once ({cpus}x here), with CPU use\n"
      "near {use}: computing speeds up only by running in parallel.{ht}",
      "많아야 동시에 계산하는 CPU 수만큼(여기서는 {cpus}배), CPU 사용률은 {use} 가까이:\n"
      "계산은 병렬로 실행해야만 빨라진다.{ht}"},
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
      "after another, on {n_cpus}? And when they sleep?",
      "계산하려면 전역 락 하나를 쥐어야 하는 스레드들: CPU {n}개에서 차례로 할 때보다\n"
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
     {"Close to 2x with 2 CPUs or more ({n} here), with the same checksum as the\n"
      "sequential run: ranks are processes, so the ceiling is still the CPUs you\n"
      "have (on every host).",
      "CPU가 2개 이상이면(여기는 {n}개) 2배 가까이, 체크섬은 순차 실행과 같다:\n"
      "랭크도 프로세스라서 한계는 여전히 가진 CPU 수다(모든 호스트를 합쳐서)."},
     {"mpi_cpu", "--runs", "1"},
     {"mpi_cpu", "--quick"},
     true},
};

const size_t tour_stop_count = sizeof tour_stops / sizeof tour_stops[0];

/* What a hybrid CPU or hyper-threads mean for computing, or "". */
static void shared_cores_text(const struct machine *m, int language, char *out, size_t size)
{
    int cores = machine_count_cores(m, &m->allowed);
    bool hybrid = m->efficiency.count > 0 && m->performance.count > 0;
    bool smt = cores != MACHINE_UNKNOWN && (size_t)cores < m->allowed.count;
    if (hybrid)
        snprintf(out, size, "%s",
                 language == KO
                     ? "\n하지만 이 CPU는 하이브리드다: 효율 코어는 느리니 그보다 덜 빨라진다."
                     : "\nBut this is a hybrid CPU: its efficiency cores are slower, so expect less.");
    else if (smt && language == KO)
        snprintf(out, size,
                 "\n이 CPU들은 하이퍼스레드다(코어 %d개): 두 스레드가 코어 하나를 나눠 쓰므로\n"
                 "그보다 덜 빨라진다.",
                 cores);
    else if (smt)
        snprintf(out, size, "\nBut two of these CPUs share each core (hyper-threads, %d cores): expect less.",
                 cores);
    else
        snprintf(out, size, "%s", "");
}

void tour_drop_cut_character(char *text)
{
    size_t len = strlen(text), lead = len;
    while (lead > 0 && ((unsigned char)text[lead - 1] & 0xC0) == 0x80) /* back over its later bytes */
        lead--;
    if (lead == 0)
        return;
    unsigned char c = (unsigned char)text[lead - 1];
    size_t whole = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1; /* bytes the character needs */
    if (len - (lead - 1) < whole)
        text[lead - 1] = '\0';
}

/* A name in the texts and what it stands for on this machine. */
struct fill {
    const char *name;
    char value[256];
};

/* The fill whose name `text` starts with, or NULL. */
static const struct fill *fill_at(const char *text, const struct fill *fills, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strncmp(text, fills[i].name, strlen(fills[i].name)) == 0)
            return &fills[i];
    return NULL;
}

void tour_fill(const char *text, const struct machine *m, int language, char *out, size_t size)
{
    double capacity = machine_parallel_capacity(m, &m->allowed);
    size_t n = m->allowed.count;
    struct fill fills[] = {
        {"{n_cpus}", "? CPUs"}, {"{n}", "?"}, {"{cpus}", "?"}, {"{use}", "?%"}, {"{ht}", ""}};
    if (n > 0) { /* else the machine could not be read: "?" says so */
        snprintf(fills[0].value, sizeof fills[0].value, "%zu CPU%s", n, n == 1 ? "" : "s");
        snprintf(fills[1].value, sizeof fills[1].value, "%zu", n);
        snprintf(fills[2].value, sizeof fills[2].value, "%g", capacity);
        snprintf(fills[3].value, sizeof fills[3].value, "%.0f%%", 100.0 * capacity);
        shared_cores_text(m, language, fills[4].value, sizeof fills[4].value);
    }
    size_t used = 0;
    out[0] = '\0';
    while (*text != '\0') {
        const struct fill *f = fill_at(text, fills, sizeof fills / sizeof fills[0]);
        const char *piece = f != NULL ? f->value : text;
        size_t len = f != NULL ? strlen(piece) : 1;
        if (used + len >= size) { /* cut short rather than overflow; the texts are far shorter */
            tour_drop_cut_character(out);
            break;
        }
        memcpy(out + used, piece, len);
        used += len;
        out[used] = '\0';
        text += f != NULL ? strlen(f->name) : 1;
    }
}
