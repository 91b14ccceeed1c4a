#!/bin/bash
# smp_boot.sh: how long cpu, versus and scaling take on a machine with many
# CPUs, when all we have is a small one. It boots a real Linux guest with
# CPUS virtual CPUs under QEMU, runs each demo in it (default and --quick),
# and prints a table of wall times.
#
#   bench/smp_boot.sh BUILD_DIR [CPUS]     (CPUS: 16; TIMEOUT=900 s; ACCEL=kvm|tcg)
#
# The guest's whole user space is a RAM disk made here: the demos, the
# libraries they need, and bench/smp_init.c compiled with gcc -static as
# /init, which runs the demos with fork and exec (no shell), times them
# and powers the guest off. Its lines on the serial console are ours:
#   BOOT 0.91 s CPUS 16            the guest's own clock at /init, its CPUs
#   TIME cpu --quick 2.41 s exit 0 one line per run, after its output
#   DONE                           every run finished
#
# The times are wall times inside the guest. Under TCG (no KVM) every
# instruction is emulated, and with more vCPUs than the host has CPUs
# the vCPUs take turns: neither shows what 16 real CPUs would do.
#
# Exit status: 0 every demo exited 0; 1 a demo failed or the guest did not
# finish; 2 bad usage; 77 something needed is missing (meson's "skipped").
set -euo pipefail

# One run per line, as the guest's /init reads them: a demo and its flags.
runs=(
    "cpu --quick"
    "versus --quick"
    "scaling --quick"
    "cpu"
    "versus"
    "scaling"
)
demos=(cpu versus scaling forker) # forker goes along when it is built (the timeout demo's helper)

here=$(cd "$(dirname "$0")" && pwd)
timeout_s=${TIMEOUT:-900}

usage() {
    echo "usage: [TIMEOUT=SECONDS] [ACCEL=kvm|tcg] $0 BUILD_DIR [CPUS]" >&2
    exit 2
}

# One line saying what is missing and how to get it; meson counts 77 as skipped.
skip() {
    echo "smp_boot.sh: skipped: $*"
    exit 77
}

# $KERNEL, else the newest /boot/vmlinuz-*.
find_kernel() {
    local newest
    if [ -n "${KERNEL:-}" ]; then
        [ -r "$KERNEL" ] || skip "KERNEL=$KERNEL is not a readable file"
        kernel=$KERNEL
        return
    fi
    newest=$(find /boot -maxdepth 1 -name 'vmlinuz-*' 2> /dev/null | sort -V | tail -n 1)
    [ -n "$newest" ] || skip "no kernel in /boot: apt-get install -y linux-image-amd64, or set KERNEL=/path/to/vmlinuz"
    # Debian's kernels are readable by root only.
    [ -r "$newest" ] || skip "$newest is readable by root only: run as root, or copy it and set KERNEL"
    kernel=$newest
}

check_tools() {
    command -v qemu-system-x86_64 > /dev/null ||
        skip "qemu-system-x86_64 not found: apt-get install -y qemu-system-x86"
    command -v cpio > /dev/null || skip "cpio not found: apt-get install -y cpio"
    if command -v gcc > /dev/null && [[ $(gcc -print-file-name=libc.a) == /* ]]; then # a bare "libc.a": none
        cc=gcc
    elif command -v musl-gcc > /dev/null; then
        cc=musl-gcc
    else
        skip "no C compiler that links statically: apt-get install -y gcc libc6-dev (or musl-tools)"
    fi
}

# KVM runs the guest's instructions on the real CPU; TCG emulates them,
# often ten times slower or more, so the table says which one ran.
# /dev/kvm alone is not enough: some cloud VMs offer a paravirtual KVM
# (PVM) that boots only kernels built for it, and a stock kernel hangs
# there before its first line. The KVM a stock kernel needs shows in the
# CPU flags: vmx (Intel) or svm (AMD). ACCEL=kvm or ACCEL=tcg decides.
choose_accel() {
    local want=${ACCEL:-}
    if [ -z "$want" ]; then
        want=tcg
        if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qw -e vmx -e svm /proc/cpuinfo; then
            want=kvm
        fi
    fi
    case $want in
    kvm)
        accel=(-enable-kvm -cpu host)
        accel_name=KVM
        ;;
    tcg)
        accel=(-accel tcg -cpu max)
        accel_name="TCG (every instruction emulated: no /dev/kvm, or no vmx/svm in the CPU flags)"
        [ -z "${ACCEL:-}" ] || accel_name="TCG (every instruction emulated: ACCEL=tcg)"
        ;;
    *) usage ;;
    esac
}

# Copies a program and every library ldd names (the loader too) into the
# RAM disk at the same paths, so the loader finds them where it looks.
copy_with_libs() {
    local program=$1 root=$2 lib
    cp "$program" "$root/bin/"
    for lib in $(ldd "$program" | grep -o '/[^ ]*'); do
        cp -L --parents "$lib" "$root"
    done
}

# Makes $work/initramfs.cpio: /init, /bin/DEMOS, their libraries, /runs,
# and empty /proc, /sys and /dev for /init to mount.
make_initramfs() {
    local root=$work/root demo
    mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
    "$cc" -static -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -o "$root/init" "$here/smp_init.c"
    for demo in "${demos[@]}"; do
        if [ -x "$build/demos/$demo" ]; then
            copy_with_libs "$build/demos/$demo" "$root"
        elif [ "$demo" != forker ]; then
            echo "smp_boot.sh: $build/demos/$demo not found: build first (meson setup $build && ninja -C $build)" >&2
            exit 2
        fi
    done
    printf '%s\n' "${runs[@]}" > "$root/runs"
    # newc is the cpio format the kernel unpacks; -R 0:0 makes root own it all.
    (cd "$root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) > "$work/initramfs.cpio"
}

# The serial console as plain lines: no carriage returns, none of the
# firmware's escape sequences (it clears the screen). -u: line by line.
plain() {
    sed -u -e 's/\r$//' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g'
}

# Boots the guest and copies its serial console to the screen and to
# $work/serial.log. panic=-1 and -no-reboot make qemu exit even if /init
# dies; timeout kills it if the guest hangs. Sets qemu_status, qemu_wall.
run_guest() {
    local start end
    start=$(date +%s.%N)
    set +e
    timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 "${accel[@]}" -smp "$cpus" -m 2048 \
        -nographic -no-reboot -kernel "$kernel" -initrd "$work/initramfs.cpio" \
        -append 'console=ttyS0 quiet panic=-1' < /dev/null | plain | tee "$work/serial.log"
    qemu_status=${PIPESTATUS[0]}
    set -e
    end=$(date +%s.%N)
    qemu_wall=$(echo "$start $end" | awk '{ printf "%.1f", $2 - $1 }')
}

# The table, from the TIME lines, and what the guest said about itself.
summary() {
    local log=$work/serial.log seen boot
    boot=$(awk '/^BOOT / { print $2 " s, " $5 " CPUs online"; exit }' "$log")
    seen=$(grep -m 1 -o '^machine: [0-9]* CPUs' "$log" | grep -o '[0-9]*' || true)
    echo
    echo "smp_boot.sh: $cpus vCPUs, $accel_name, kernel $(basename "$kernel")"
    echo "guest: /init started at ${boot:-?} (guest clock); the demos saw ${seen:-?} CPUs"
    echo "qemu ran ${qemu_wall} s in all (host clock, boot and power-off included)"
    echo
    echo "| demo | flags | wall s | exit |"
    echo "|---|---|---|---|"
    awk '/^TIME / {
        flags = ""
        for (i = 3; i + 3 <= NF && ($(i + 1) != "s" || $(i + 2) !~ /^(exit|signal)$/); i++)
            flags = flags (flags == "" ? "" : " ") $i
        printf "| %s | %s | %s | %s%s |\n", $2, flags == "" ? "(default)" : flags, $i, \
            $(i + 2) == "signal" ? "signal " : "", $(i + 3)
    }' "$log"
}

# Exit status: 1 unless the guest finished and every demo exited 0.
verdict() {
    local log=$work/serial.log
    if [ "$qemu_status" = 124 ] || [ "$qemu_status" = 137 ]; then
        echo "smp_boot.sh: the guest did not finish in $timeout_s s; qemu was killed (raise TIMEOUT)" >&2
        grep -q '^BOOT ' "$log" ||
            echo "smp_boot.sh: its kernel never started /init (under KVM, try ACCEL=tcg)" >&2
        return 1
    fi
    if ! grep -q '^DONE' "$log"; then
        echo "smp_boot.sh: the guest stopped before DONE (qemu exit status $qemu_status)" >&2
        return 1
    fi
    if [ "$(grep -c '^TIME ' "$log")" != "${#runs[@]}" ]; then
        echo "smp_boot.sh: the guest could not start every demo (see init: lines above)" >&2
        return 1
    fi
    if grep '^TIME ' "$log" | grep -vq ' exit 0$'; then
        echo "smp_boot.sh: a demo failed (see its output above)" >&2
        return 1
    fi
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    usage
fi
build=$1
cpus=${2:-16}
[[ "$cpus" =~ ^[1-9][0-9]*$ ]] || usage
[[ "$timeout_s" =~ ^[1-9][0-9]*$ ]] || usage

check_tools
find_kernel
choose_accel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_initramfs
echo "smp_boot.sh: booting $(basename "$kernel") with $cpus vCPUs under $accel_name; gives up after $timeout_s s"
run_guest
summary
verdict
