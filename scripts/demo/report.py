# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The closing table of `make demo`, and its verdict.

Usage: report.py RECORD_DIR [PLAN_DIR]
       report.py --stderr FILE     the verdict on what one ansible-playbook run wrote to stderr

RECORD_DIR holds the JSON records the demo_summary callback wrote, one per ansible-playbook run, each with its
phase: check (the dry run, --check --diff), real (the real run) or second (the second run). The table shows, per
playbook and task, how many items each phase changed. A playbook without a dry run is checked by its
second run only. Exit status 1, with the reasons, when a dry run did not
predict its real run (an item changed in one and not in the other, or in another way: created instead of
updated), when a real run left an item unchanged (the demo starts from empty services, so that would mean a step
did not happen), when the second run changed anything or did not run a task, when a task failed, or when any
warning appeared.

PLAN_DIR holds the plans the callback apiops.platforms.plan wrote, one per run, named as the records (NAME.json).
For each dry run (a plan with check_mode true, NAME-check.json) the plan of its real run (NAME-real.json) must hold
the same changes: the same hosts, tasks, modules, keys, actions, option names and failures, in the same order; the
values are not compared (a dry run shows the values it sends, not the ones the server decides), nor the fields of a
change whose module declares what a check run cannot predict (``unpredicted``).
"""

import json
import os
import re
import sys

PHASES = (("check", "dry run"), ("real", "real run"), ("second", "second run"))
ORDER = [phase for phase, label in PHASES]


def _name(task, item):
    return "%s%s" % (task[1], " [%s]" % item if item is not None else "")


def load(folder):
    """{phase: {(playbook, task): {item: entry}}}, the order of the tasks, and the problems of the records."""
    by_phase = dict((phase, {}) for phase in ORDER)
    tasks, problems, dry_run = [], [], set()
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name)) as handle:
            record = json.load(handle)
        label = dict(PHASES)[record["phase"]]
        for warning in record["warnings"]:
            problems.append("%s: warning: %s" % (label, warning))
        if record["failures"]:
            problems.append("%s (%s): %d failed task(s)" % (label, name, record["failures"]))
        if record["phase"] == "check":
            dry_run.update(entry["playbook"] for entry in record["entries"])
        for entry in record["entries"]:
            task = (entry["playbook"], entry["task"])
            if task not in tasks:
                tasks.append(task)
            by_phase[record["phase"]].setdefault(task, {})[entry["item"]] = entry
            if entry["status"] == "failed":
                problems.append("%s: %s failed" % (label, _name(task, entry["item"])))
    return by_phase, tasks, problems, dry_run


def compare(task, check, real, second, dry_run=True):
    """The verdict of one task and its problems (without a dry run of its playbook, only the second run's)."""
    problems = []
    for item in sorted(set(check) | set(real), key=str) if dry_run else []:
        predicted, done = check.get(item), real.get(item)
        if predicted is None or done is None:
            problems.append("%s: only in the %s" % (_name(task, item), "real run" if predicted is None else "dry run"))
        elif (predicted["changed"], predicted["kind"]) != (done["changed"], done["kind"]):
            problems.append("%s: the dry run predicted %s, the real run did %s" % (
                _name(task, item), predicted["kind"] or "no change", done["kind"] or "no change"))
    verdict = "MISMATCH" if problems else "ok" if dry_run else "ok (no dry run)"
    for item, entry in real.items():
        if not entry["changed"] and entry["status"] != "skipped":
            problems.append("%s: the real run changed nothing (the demo starts from empty services, so every task of "
                            "its real runs has something to do)" % _name(task, item))
            verdict = "NOTHING DONE"
    if set(second) != set(real):
        problems.append("%s: the second run did not run the same items" % task[1])
        verdict = "NOT RUN AGAIN"
    for item, entry in second.items():
        if entry["changed"]:
            problems.append("%s: the second run changed it (%s)" % (_name(task, item), entry["kind"]))
            verdict = "CHANGED AGAIN"
    return verdict, problems


# A Python warning as the warnings module prints it: "<file>:<line>: <Category>: <message>", then the source line.
WARNING_LINE = re.compile(r"^(?P<file>/\S+\.py):\d+: (?P<category>[A-Za-z]*Warning): (?P<message>.*)$")


def third_party(path):
    """The installed distribution a file belongs to, or None when it is not a third-party package's file (the
    collection's own files, wherever they are installed, are never third-party)."""
    if "/ansible_collections/apiops/platforms/" in path:
        return None
    match = re.search(r"/site-packages/([^/]+)/", path)
    return match.group(1) if match else None


def classify_stderr(text):
    """(third-party warnings, other lines) of what a run wrote to stderr. A third-party warning is one a package
    outside the collection printed (typically at import, when the interpreter starts); its source line, printed
    indented after it, goes with it. Everything else (a warning of Ansible about a task, of the collection, an
    error) is another line."""
    foreign, other = [], []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        match = WARNING_LINE.match(line)
        package = third_party(match.group("file")) if match else None
        if package:
            foreign.append("%s (from the package %s)" % (line, package))
            if index + 1 < len(lines) and lines[index + 1].startswith((" ", "\t")):
                index += 1
        elif line.strip():
            other.append(line)
        index += 1
    return foreign, other


def stderr_verdict(path):
    """Exit status 1 when the run wrote anything to stderr that is not a third-party package's warning."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        foreign, other = classify_stderr(handle.read())
    if foreign:
        print("warnings of third-party packages, printed when the interpreter started (not the collection's; the "
              "locked tool environment should not have them: see make upgrade-check):")
        for line in foreign:
            print("  " + line)
    if other:
        print("written to stderr, which fails the demo:")
        for line in other:
            print("  " + line)
        return 1
    return 0


def comparable(change):
    """What a dry run's change must share with the real run's: everything but the values, and the fields of a
    module that declares them unpredicted."""
    left_out = ("values", "fields") if change.get("unpredicted") else ("values",)
    return dict((key, value) for key, value in change.items() if key not in left_out)


def _describe(change):
    key = ", ".join("%s=%s" % item for item in sorted(change.get("key", {}).items()))
    return "%s %s (%s)" % (change.get("action"), change.get("module", "").rsplit(".", 1)[-1], key or "-")


def compare_plans(folder):
    """(number of changes compared, problems): each dry run's plan against the plan of its real run."""
    problems, compared = [], 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith("-check.json"):
            continue
        real_name = name[:-len("-check.json")] + "-real.json"
        with open(os.path.join(folder, name)) as handle:
            check = json.load(handle)
        if not os.path.exists(os.path.join(folder, real_name)):
            problems.append("plan %s: no plan of its real run (%s)" % (name, real_name))
            continue
        with open(os.path.join(folder, real_name)) as handle:
            real = json.load(handle)
        if check.get("check_mode") is not True or real.get("check_mode") is not False:
            problems.append("plan %s: not a dry run and a real run" % name)
        predicted, done = [comparable(c) for c in check["changes"]], [comparable(c) for c in real["changes"]]
        compared += len(done)
        if predicted != done:
            for index in range(max(len(predicted), len(done))):
                one = predicted[index] if index < len(predicted) else None
                other = done[index] if index < len(done) else None
                if one != other:
                    problems.append("plan %s: the dry run planned %s, the real run did %s" % (
                        name[:-len("-check.json")], _describe(one) if one else "nothing more",
                        _describe(other) if other else "nothing more"))
                    break
    return compared, problems


def main(folder, plans=None):
    by_phase, tasks, problems, dry_run = load(folder)
    rows, items = [], 0
    for task in tasks:
        check, real, second = (by_phase[phase].get(task, {}) for phase in ORDER)
        items += len(set(check) | set(real)) if task[0] in dry_run else 0
        verdict, found = compare(task, check, real, second, task[0] in dry_run)
        problems.extend(found)
        cells = []
        for entries in (check, real, second):
            changed = sum(1 for entry in entries.values() if entry["changed"])
            cells.append("%d of %d" % (changed, len(entries)) if entries else "-")
        rows.append((task[0], task[1], cells, verdict))

    width = min(max([len(row[1]) for row in rows] + [30]), 62)
    print("  %-*s  %-10s %-10s %-10s" % (width + 2, "task (items changed)", "dry run", "real run", "second run"))
    playbook = None
    for path, task, cells, verdict in rows:
        if path != playbook:
            playbook = path
            print("  %s" % path)
        name = task if len(task) <= width else task[:width - 3] + "..."
        print("    %-*s  %-10s %-10s %-10s %s" % (width, name, cells[0], cells[1], cells[2], verdict))
    planned = None
    if plans:
        planned, found = compare_plans(plans)
        problems.extend(found)
        told = ("%d changes of the dry runs' plans compared with their real runs" % planned if not found
                else "%d problem(s)" % len(found))
        print("  plans: %s" % told)
    if problems:
        print("FAILED: %d problem(s):" % len(problems))
        for problem in problems:
            print("  - %s" % problem)
        return 1
    print("ok: every dry run predicted its real run (%d items compared%s), the second run changed nothing, "
          "no warnings" % (items, "; its plan equals the real run's" if planned is not None else ""))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--stderr":
        sys.exit(stderr_verdict(sys.argv[2]))
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
