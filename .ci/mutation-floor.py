#!/usr/bin/env python3
"""Per-class floor for mutation testing (README "Running the tests", SECURITY.md).

PIT's own mutationThreshold is per module. This script reads the mutations.xml that
`mvn -Pmutation` writes (target/pit-reports/mutations.xml in each module) and fails when a
security-relevant class listed in .ci/mutation-security-classes.txt kills fewer than the floor
(default 80 %) of its mutants, or when a listed class has no mutants in the reports (a renamed or
moved class must be renamed here too). Killed means what PIT counts as detected: KILLED, TIMED_OUT,
MEMORY_ERROR, RUN_ERROR. Nested classes (Outer$Inner) count towards Outer.

usage: .ci/mutation-floor.py [--floor 80] [--all] REPORT.xml...
  --all  also print every class of the reports (weakest first), not only the listed ones
exit status: 0 all listed classes at or above the floor; 1 otherwise; 2 bad input
"""
import os
import sys
import xml.etree.ElementTree as ET

DETECTED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR"}
LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mutation-security-classes.txt")


def main(argv):
    floor, show_all, reports = 80.0, False, []
    args = iter(argv)
    for a in args:
        if a == "--floor":
            floor = float(next(args))
        elif a == "--all":
            show_all = True
        else:
            reports.append(a)
    if not reports:
        print(__doc__, file=sys.stderr)
        return 2
    with open(LIST, encoding="utf-8") as f:
        listed = [l.split("#")[0].strip() for l in f]
    listed = [l for l in listed if l]

    counts = {}  # class -> [detected, total]
    for report in reports:
        if not os.path.isfile(report):
            print(f"[mutation-floor] ERROR: no report {report} (did `mvn -Pmutation` run?)", file=sys.stderr)
            return 2
        for m in ET.parse(report).getroot().iter("mutation"):
            cls = m.findtext("mutatedClass").split("$")[0]
            c = counts.setdefault(cls, [0, 0])
            c[1] += 1
            if m.get("status") in DETECTED:
                c[0] += 1

    def pct(c):
        return 100.0 * c[0] / c[1]

    if show_all:
        for cls, c in sorted(counts.items(), key=lambda kv: (pct(kv[1]), kv[0])):
            print(f"  {pct(c):5.1f}%  {c[0]:4d}/{c[1]:<4d} {cls}")

    failed = []
    for cls in listed:
        c = counts.get(cls)
        if c is None:
            print(f"[mutation-floor] FAIL {cls}: no mutants in the reports (renamed, moved, or module not run?)")
            failed.append(cls)
            continue
        ok = pct(c) >= floor
        print(f"[mutation-floor] {'ok  ' if ok else 'FAIL'} {pct(c):5.1f}%  {c[0]:4d}/{c[1]:<4d} {cls}")
        if not ok:
            failed.append(cls)
    if failed:
        print(f"[mutation-floor] {len(failed)} security-relevant class(es) below {floor:g}%: {', '.join(failed)}")
        return 1
    print(f"[mutation-floor] all {len(listed)} security-relevant classes at or above {floor:g}%")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
