#!/usr/bin/env python3
"""The benchmark jobs written in Python, for bench/peers.py.

Usage: python_jobs.py JOB MODE ARGS...   prints the wall time in seconds (and a checksum for cpu)

  sleep    sequential|threading|asyncio|multiprocessing  TASKS SECONDS
  children sequential|subprocess                         TASKS SECONDS   (real `sleep` programs)
  cpu      sequential|threading|multiprocessing          TASKS UNITS     (atonce's xorshift, exactly)
  start    thread|child                                  COUNT           (seconds per one, averaged)
"""
import asyncio
import multiprocessing
import subprocess
import sys
import threading
import time

MASK = (1 << 64) - 1


def mix(x):
    """splitmix64's finalizer, as lib/workload.c seeds each task."""
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def compute(task, units):
    """xorshift64* for `units` rounds from the task's seed: the C loop, line for line."""
    x, total = mix(task) | 1, 0
    for _ in range(units):
        x ^= x >> 12
        x = (x ^ (x << 25)) & MASK
        x ^= x >> 27
        total = (total + x * 0x2545F4914F6CDD1D) & MASK
    return total


def run_all(mode, work, tasks):
    """Runs work(i) for every task under one mode; returns the results."""
    if mode == "sequential":
        return [work(i) for i in range(tasks)]
    if mode == "threading":
        results = [None] * tasks

        def body(i):
            results[i] = work(i)
        threads = [threading.Thread(target=body, args=(i,)) for i in range(tasks)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results
    if mode == "multiprocessing":
        with multiprocessing.Pool(tasks) as pool:
            return pool.map(work, range(tasks))
    raise SystemExit(f"unknown mode {mode}")


class Sleep:
    def __init__(self, seconds):
        self.seconds = seconds

    def __call__(self, i):
        time.sleep(self.seconds)
        return i


class Compute:
    def __init__(self, units):
        self.units = units

    def __call__(self, i):
        return compute(i, self.units)


def main():
    job, mode = sys.argv[1], sys.argv[2]
    start = time.monotonic()
    extra = ""
    if job == "sleep":
        tasks, seconds = int(sys.argv[3]), float(sys.argv[4])
        if mode == "asyncio":
            async def all_at_once():
                await asyncio.gather(*(asyncio.sleep(seconds) for _ in range(tasks)))
            asyncio.run(all_at_once())
        else:
            run_all(mode, Sleep(seconds), tasks)
    elif job == "children":
        tasks, seconds = int(sys.argv[3]), sys.argv[4]
        if mode == "sequential":
            for _ in range(tasks):
                subprocess.run(["sleep", seconds], check=True)
        else:
            children = [subprocess.Popen(["sleep", seconds]) for _ in range(tasks)]
            for child in children:
                child.wait()
    elif job == "cpu":
        tasks, units = int(sys.argv[3]), int(sys.argv[4])
        total = 0
        for r in run_all(mode, Compute(units), tasks):
            total = (total + r) & MASK
        extra = f" {total:016x}"
    elif job == "start":
        count = int(sys.argv[3])
        for _ in range(count):
            if mode == "thread":
                t = threading.Thread(target=lambda: None)
                t.start()
                t.join()
            else:
                subprocess.run(["true"], check=True)
        print(f"{(time.monotonic() - start) / count:.9f}")
        return
    print(f"{time.monotonic() - start:.9f}{extra}")


if __name__ == "__main__":
    main()
