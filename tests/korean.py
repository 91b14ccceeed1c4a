#!/usr/bin/env python3
"""The output in Korean (lib/i18n.h, po/ko.po): po/ko.po has every text
translated and no fuzzy entry (msgfmt --check --statistics); cpu, versus, gil,
event_loop and scaling --quick under LANGUAGE=ko print Korean verdicts and
name the Korean note; spawn_cost --quick, run_capture, poll_child and timeout
speak Korean in their own lines, not only in the note's; every demo's --help
is Korean, every line within 80 terminal columns (a Hangul syllable takes
two); a Korean locale that is not installed still gets Korean; LANGUAGE=en
keeps English.

Usage: korean.py BUILD_DIR SOURCE_ROOT   (exits 77, skipped, without gettext)
"""
import os
import shutil
import subprocess
import sys
import unicodedata

build, source = sys.argv[1], sys.argv[2]
demos = os.path.join(build, "demos")
catalog = os.path.join(build, "po", "ko", "LC_MESSAGES", "atonce.mo")
if shutil.which("msgfmt") is None or not os.path.exists(catalog):
    print("skipped: gettext's msgfmt is not installed, so the build has no Korean catalog")
    sys.exit(77)


def columns(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def has_hangul(text):
    return any("\uac00" <= c <= "\ud7a3" for c in text)


def run(argv, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    clean.update(NO_COLOR="1", **env)
    p = subprocess.run(argv, capture_output=True, text=True, env=clean, timeout=120)
    assert p.returncode == 0, f"{argv}: exit {p.returncode}: {p.stderr}"
    return p.stdout


failures = []

statistics = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull,
                             os.path.join(source, "po", "ko.po")], capture_output=True, text=True)
if statistics.returncode != 0 or "untranslated" in statistics.stderr or "fuzzy" in statistics.stderr:
    failures.append(f"po/ko.po: {statistics.stderr.strip()}")

for demo, verdict_start in (("cpu", "cpu: "), ("versus", "sleep: "), ("gil", "sleep: "), ("event_loop", "sleep: "),
                            ("scaling", "scaling: ")):
    out = run([os.path.join(demos, demo), "--quick"], LANGUAGE="ko")
    lines = out.splitlines()
    verdicts = [line for line in lines if line.startswith(verdict_start)]
    if not verdicts or not has_hangul(out[out.index(verdicts[0]):]):
        failures.append(f"{demo} --quick: no Korean verdict:\n{out}")
    if not lines or not lines[-1].startswith("함께 읽기: notes/ko/"):
        failures.append(f"{demo} --quick: its last line does not name the Korean note: {lines[-1:]}")
    for line in lines:
        if columns(line) > 80:
            failures.append(f"{demo} --quick: {columns(line)} columns: {line}")

# The seed's demos and spawn_cost: their own lines in Korean (the last line,
# the note's, is Korean anyway), and in English under LANGUAGE=en.
for demo, args in (("spawn_cost", ["--quick"]), ("run_capture", []), ("poll_child", ["--seconds", "0.1"]),
                   ("timeout", [])):
    out = run([os.path.join(demos, demo), *args], LANGUAGE="ko")
    lines = out.splitlines()
    body = [line for line in lines if not line.startswith("함께 읽기: ")]
    if not has_hangul("\n".join(body)):
        failures.append(f"{demo} {args}: no Korean before its note:\n{out}")
    for line in lines:
        if columns(line) > 80:
            failures.append(f"{demo} {args}: {columns(line)} columns: {line}")
    english = run([os.path.join(demos, demo), *args], LANGUAGE="en")
    if has_hangul(english):
        failures.append(f"{demo} {args}: Korean under LANGUAGE=en:\n{english}")

for name in sorted(os.listdir(demos)):
    path = os.path.join(demos, name)
    if name == "forker" or not os.path.isfile(path) or not os.access(path, os.X_OK):
        continue  # forker is a helper, not a demo
    help_text = run([path, "--help"], LANGUAGE="ko")
    if not help_text.startswith(f"사용법: {name}"):
        failures.append(f"{name} --help in Korean starts: {help_text[:40]!r}")
    failures += [f"{name} --help: {columns(line)} columns: {line}" for line in help_text.splitlines()
                 if columns(line) > 80]

# A Korean locale that this machine has not installed: the language still counts.
if not run([os.path.join(demos, "cpu"), "--help"], LANG="ko_KR.UTF-8").startswith("사용법: cpu"):
    failures.append("LANG=ko_KR.UTF-8 (not installed) did not give Korean")
english = run([os.path.join(demos, "cpu"), "--help"], LANGUAGE="en", LANG="ko_KR.UTF-8")
if not english.startswith("Usage: cpu") or has_hangul(english):
    failures.append("LANGUAGE=en did not keep English")

for failure in failures:
    print("FAIL:", failure)
sys.exit(1 if failures else 0)
