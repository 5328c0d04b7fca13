#!/usr/bin/env python3
"""Summarises where a JFR recording spends CPU: top self frames and top inclusive methods.

Usage: python3 jfr-top.py RECORDING.jfr [N] [FILTER] [FOCUS]
FILTER (optional, '' for none) keeps only inclusive entries whose method name contains it (e.g. 'platformsessions').
FOCUS (optional) keeps only samples with a frame containing it (e.g. 'OursSubject.switchPlatform').
Needs the JDK's `jfr` tool on PATH.
"""
import collections
import re
import subprocess
import sys

rec = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
flt = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
focus = sys.argv[4] if len(sys.argv) > 4 else None
out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", rec],
                     capture_output=True, text=True, check=True).stdout
samples = []
frames = None
for line in out.splitlines():
    line = line.strip()
    if line.startswith("jdk.ExecutionSample"):
        frames = []
    elif line.startswith("stackTrace = ["):
        pass
    elif frames is not None and re.match(r"^[\w$.<>/]+\(.*\)\s+line:", line):
        frames.append(re.sub(r"\(.*", "", line))
    elif frames is not None and line == "]":
        samples.append(frames)
        frames = None
if focus:
    samples = [s for s in samples if any(focus in f for f in s)]
n = max(1, len(samples))
print(f"{n} execution samples in {rec}")
self_ = collections.Counter(s[0] for s in samples if s)
incl = collections.Counter()
for s in samples:
    for m in set(s):
        incl[m] += 1
print(f"\nTop {top} self (where the CPU is):")
for m, c in self_.most_common(top):
    print(f"  {100.0 * c / n:5.1f}%  {m}")
print(f"\nTop {top} inclusive" + (f" matching '{flt}'" if flt else "") + ":")
shown = 0
for m, c in incl.most_common():
    if flt and flt not in m:
        continue
    print(f"  {100.0 * c / n:5.1f}%  {m}")
    shown += 1
    if shown >= top:
        break
