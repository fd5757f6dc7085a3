# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sum the JUnit reports and the pass/fail gates of one test run into the closing line.

Exit status 0 only when nothing failed and at least one test ran.
"""

import os
import sys
import xml.etree.ElementTree as ET


def main(results):
    passed = failed = skipped = 0
    for name in sorted(os.listdir(results)):
        if not name.endswith(".xml"):
            continue
        root = ET.parse(os.path.join(results, name)).getroot()
        suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
        p = f = s = 0
        for suite in suites:
            tests = int(suite.get("tests", 0))
            bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skip = int(suite.get("skipped", 0))
            f += bad
            s += skip
            p += tests - bad - skip
        print("%-14s %4d passed, %d failed, %d skipped" % (name[:-4], p, f, s))
        passed, failed, skipped = passed + p, failed + f, skipped + s
    gates = os.path.join(results, "gates.txt")
    if os.path.exists(gates):
        with open(gates, encoding="utf-8") as handle:
            for line in handle:
                words = line.split()
                if not words:
                    continue
                if words[0] == "passed":
                    passed += 1
                elif words[0] == "failed":
                    failed += 1
                print("%-14s %s" % (words[1], " ".join([words[0]] + words[2:])))
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/test-results"))
