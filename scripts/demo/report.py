# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The closing table of `make demo`, and its verdict.

Usage: report.py RECORD_DIR

RECORD_DIR holds the JSON records the demo_summary callback wrote, one per ansible-playbook run, each with its
phase: check (the dry run, --check --diff), real (the real run) or second (the second run). The table shows, per
playbook and task, how many items each phase changed. A playbook without a dry run (the demo creates the Foxops
fleet without one) is checked by its second run only. Exit status 1, with the reasons, when a dry run did not
predict its real run (an item changed in one and not in the other, or in another way: created instead of
updated), when a real run left an item unchanged (the demo starts from empty services, so that would mean a step
did not happen), when the second run changed anything or did not run a task, when a task failed, or when any
warning appeared.
"""

import json
import os
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


def main(folder):
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
    if problems:
        print("FAILED: %d problem(s):" % len(problems))
        for problem in problems:
            print("  - %s" % problem)
        return 1
    print("ok: every dry run predicted its real run (%d items compared), the second run changed nothing, "
          "no warnings" % items)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
