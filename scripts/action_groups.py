# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the action groups of meta/runtime.yml from the modules present (``--check``: fail on drift).

Every ``foxops_*`` module belongs to the ``foxops`` group, every ``stocktrim_*`` module to ``stocktrim``.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNTIME = os.path.join(ROOT, "meta", "runtime.yml")
GROUPS = ("foxops", "stocktrim")


def render():
    modules = sorted(n[:-3] for n in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                     if n.endswith(".py") and not n.startswith("_"))
    lines = ["action_groups:"]
    for group in GROUPS:
        members = [m for m in modules if m.startswith(group + "_")]
        lines.append("  %s:%s" % (group, "" if members else " []"))
        lines.extend("    - %s" % m for m in members)
    return "\n".join(lines) + "\n"


def main():
    with open(RUNTIME, encoding="utf-8") as handle:
        text = handle.read()
    block = re.compile(r"^action_groups:\n(?:[ ].*\n)*", re.M)
    if not block.search(text):
        sys.exit("meta/runtime.yml has no action_groups block")
    new = block.sub(lambda m: render(), text, count=1)
    if "--check" in sys.argv:
        if new != text:
            sys.exit("meta/runtime.yml action_groups are out of date: run scripts/action_groups.py")
        return
    with open(RUNTIME, "w", encoding="utf-8") as handle:
        handle.write(new)


if __name__ == "__main__":
    main()
