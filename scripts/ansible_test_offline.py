# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Let ansible-test set up its sanity environments without downloading its pip bootstrap script.

ansible-test looks for ``~/.ansible/test/cache/get_pip_<X_Y>.py`` before downloading it; this writes a
stand-in there that bootstraps pip with ``ensurepip`` and then installs the requested pip version from
the package index.
"""

import os
import re
import sys

STAND_IN = '''"""pip bootstrap stand-in for ansible-test (written by scripts/ansible_test_offline.py)."""
import os
import subprocess
import sys

# ansible-test's own PYTHONPATH holds distributions without version metadata, which pip's resolver trips on.
env = dict((k, v) for k, v in os.environ.items() if k != "PYTHONPATH")
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"], env=env)
subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade"] + args, env=env)
'''


def main():
    import ansible_test
    source = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
    with open(source, encoding="utf-8") as handle:
        match = re.search(r"pip='([0-9.]+)'", handle.read())
    if not match:
        sys.exit("cannot find the pip version ansible-test wants in %s" % source)
    path = os.path.expanduser("~/.ansible/test/cache/get_pip_%s.py" % match.group(1).replace(".", "_"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if not os.path.exists(path) or open(path, encoding="utf-8").read() != STAND_IN:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(STAND_IN)
    print(path)


if __name__ == "__main__":
    main()
