# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sum the JUnit reports and the pass/fail gates of one test run into the closing lines.

RESULTS/gates.txt holds one line per stage:
  passed NAME SECONDS [note]        a gate that passed (the note says what it checked)
  failed NAME SECONDS [note]        a gate that failed
  ran NAME SECONDS rc=N min=M       a pytest stage, counted test by test from RESULTS/NAME.xml

A pytest stage fails when its exit status is not 0 (whatever its report says), when it left no report, and when
fewer than M tests ran in it (a skipped test does not count as run). Exit status 0 only when nothing failed and
at least one test ran. The last lines give each stage's time.
"""

import os
import sys
import xml.etree.ElementTree as ET


def junit(path):
    """(passed, failed, skipped) of a JUnit report."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    passed = failed = skipped = 0
    for suite in suites:
        tests = int(suite.get("tests", 0))
        bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skip = int(suite.get("skipped", 0))
        failed += bad
        skipped += skip
        passed += tests - bad - skip
    return passed, failed, skipped


def _seconds(text):
    """Seconds of a bash ``times`` figure such as ``1m2.500s``."""
    minutes, _sep, rest = text.rstrip("s").partition("m")
    return int(minutes) * 60 + float(rest) if rest else float(minutes)


def cpu_times(results):
    """``[(stage, seconds)]`` from RESULTS/cpu.txt: each stage's children's user and system time."""
    path = os.path.join(results, "cpu.txt")
    if not os.path.exists(path):
        return []
    found = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            words = line.split()
            if len(words) == 3:
                found.append((words[0], int(round(_seconds(words[1]) + _seconds(words[2])))))
    return found


def read_gates(results):
    path = os.path.join(results, "gates.txt")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return [line.split() for line in handle if line.split()]


def main(results):
    passed = failed = skipped = 0
    lines, times, problems = [], [], []
    for words in read_gates(results):
        status, name = words[0], words[1]
        seconds = words[2] if len(words) > 2 else "?"
        times.append((name, seconds))
        if status == "ran":
            fields = dict(word.split("=", 1) for word in words[3:] if "=" in word)
            report = os.path.join(results, name + ".xml")
            if not os.path.exists(report) or os.path.getsize(report) == 0:
                lines.append("%-22s FAILED: no test report (exit %s)" % (name, fields.get("rc", "?")))
                problems.append(name)
                failed += 1
                continue
            p, f, s = junit(report)
            passed, failed, skipped = passed + p, failed + f, skipped + s
            note = []
            if fields.get("rc", "0") != "0":
                note.append("exit status %s" % fields["rc"])
            if p + f < int(fields.get("min", "1")):
                note.append("only %d tests ran, at least %s expected" % (p + f, fields.get("min", "1")))
            if note:
                failed += 1
                problems.append(name)
            lines.append("%-22s %4d passed, %d failed, %d skipped%s" % (
                name, p, f, s, ": FAILED (%s)" % "; ".join(note) if note else ""))
        else:
            if status == "passed":
                passed += 1
            else:
                failed += 1
                problems.append(name)
            note = " ".join(words[3:])
            lines.append("%-22s %s%s" % (name, status, " (%s)" % note if note else ""))
    for name in sorted(n for n in os.listdir(results) if n.endswith(".xml")):
        if name[:-4] not in [t[0] for t in times]:  # a report no stage claims: counted, and named
            p, f, s = junit(os.path.join(results, name))
            passed, failed, skipped = passed + p, failed + f, skipped + s
            lines.append("%-22s %4d passed, %d failed, %d skipped" % (name[:-4], p, f, s))
    print("\n".join(lines))
    if times:
        print("stage times: " + ", ".join("%s %s" % pair for pair in times))
    cpu = cpu_times(results)
    if cpu:
        print("processor time (user + system) per stage: %s; %ds in all"
              % (", ".join("%s %ds" % pair for pair in cpu), sum(seconds for _name, seconds in cpu)))
    if problems:
        print("failed stages: " + ", ".join(problems))
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/test-results"))
