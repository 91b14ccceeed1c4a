#!/usr/bin/env python3
"""A demo stopped by Ctrl-C at a terminal erases its progress line first
("\\r\\033[K"), but not at TERM=dumb (Emacs's shell, some CI consoles),
which would print the escape as text.

Usage: dumb_terminal.py DEMO_DIR
"""
import os
import pty
import signal
import subprocess
import sys
import time

demo = os.path.join(sys.argv[1], "sleep")


def stopped_at_terminal(term):
    """What `sleep` writes to a terminal when SIGINT stops it mid-run."""
    main, terminal = pty.openpty()
    env = dict(os.environ, TERM=term)
    env.pop("NO_COLOR", None)
    p = subprocess.Popen([demo, "--seconds", "5", "--runs", "1", "--warmup", "0"],
                         stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    time.sleep(1.0)  # a progress line is drawn as the first run starts
    p.send_signal(signal.SIGINT)
    screen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # EIO: the demo closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    p.wait(timeout=10)
    os.close(main)
    return p.returncode, screen.decode(errors="replace")


failures = []
for term, erased in (("xterm", True), ("dumb", False)):
    code, screen = stopped_at_terminal(term)
    if code != 130 or "sleep: interrupted" not in screen:
        failures.append(f"TERM={term}: exit {code}, {screen!r}")
    # the progress line is erased right before the message (the line itself
    # starts with the same sequence, so look for the two together)
    if ("\r\x1b[Ksleep: interrupted" in screen) != erased:
        failures.append(f"TERM={term}: {'no' if erased else 'an'} erase before the message: {screen!r}")
    if not erased and "\x1b" in screen:
        failures.append(f"TERM=dumb: an escape sequence: {screen!r}")
for f in failures:
    print("FAIL", f)
print(f"{2 - len(failures)} of 2 terminals as expected" if not failures else f"{len(failures)} failed")
sys.exit(1 if failures else 0)
