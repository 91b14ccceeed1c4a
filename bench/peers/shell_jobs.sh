#!/usr/bin/env bash
# The benchmark jobs written in shell (bash), for bench/peers.py.
#
#   shell_jobs.sh sleep    sequential|ampersand|xargs TASKS SECONDS   (real `sleep` programs)
#   shell_jobs.sh start    child COUNT                                 (start and reap /bin/true)
#
# Prints the wall time in seconds (for start: per child). A shell has no
# threads and no way to compute in parallel short of starting programs, so
# it has no cpu or thread job.
set -eu
job=$1 mode=$2
start=$(date +%s.%N)
case "$job/$mode" in
sleep/sequential) for _ in $(seq "$3"); do sleep "$4"; done ;;
sleep/ampersand)  for _ in $(seq "$3"); do sleep "$4" & done; wait ;;
sleep/xargs)      seq "$3" | xargs -P "$3" -I{} sleep "$4" ;;
start/child)      for _ in $(seq "$3"); do /bin/true; done ;;
*) echo "unknown job $job/$mode" >&2; exit 2 ;;
esac
end=$(date +%s.%N)
if [ "$job" = start ]; then
    echo "($end - $start) / $3" | bc -l
else
    echo "$end - $start" | bc -l
fi
