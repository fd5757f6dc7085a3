# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The project's tool environments: each one installed from a hashed lock, and cached by the lock's hash.

Every environment the project's scripts create is listed in ENVS, with the Python versions it is locked for.
``lock/NAME.in`` names what it needs (top-level tools pinned exactly); ``lock/NAME-pyX.Y.txt`` is the lock made
from it by ``make lock``: every package, dependencies included, at one version, with the hashes of its files.
An environment is installed with ``pip install --require-hashes --no-deps`` from its lock, then ``pip check``,
into ``$APIOPS_CACHE_DIR/venvs/NAME-pyX.Y-<hash of the lock>-<hash of the interpreter's path>``
(``~/.cache/apiops-platforms`` by default): a fresh clone with the cache kept reuses it, and a changed lock or
another interpreter gets a new environment.

Where a machine has several interpreters of one Python version, the one named by ``$APIOPS_PYTHON_X_Y`` (or
``$APIOPS_PYTHON`` for 3.11) is taken; else a build that links libpython statically is preferred to one that
loads it as a shared library: it runs the same Python code faster (a playbook of ten module tasks took 0.75 times the
processor time on Debian's static 3.11 as on a shared-library 3.11 build, measured side by side), and the tests
spend most of their time starting Python processes.

The locks are made with ``uv pip compile --generate-hashes`` (uv itself installed from ``lock/uv-py3.11.txt``,
hash-checked): it resolves for a Python version other than the one it runs on, so the 3.12 and 3.13 locks are
made on the 3.11 controller, and it records the hashes of every file of a release, for every platform.

Usage (Python standard library only):
    envs.py path NAME [--python EXE]   build NAME if needed; print its folder
    envs.py python X.Y                 print an interpreter of Python X.Y
    envs.py lock [--upgrade] [--dir D] regenerate every lock (``make lock``); --dir writes them elsewhere
    envs.py check-floors               fail when lock/floors.in is not what requirements.txt makes
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK_DIR = ROOT / "lock"
CONTROLLER = "3.11"
NEWER = ("3.12", "3.13")

# name: (the Python versions it is locked for, what it is for)
ENVS = {
    "dev": ((CONTROLLER,), "the tools of make test and make demo (.venv links to it)"),
    "docs": ((CONTROLLER,), "the documentation site (scripts/docs.sh)"),
    "ee": ((CONTROLLER,), "ansible-builder, for the execution-environment check"),
    "floors": ((CONTROLLER,), "the unit tests with requirements.txt at its floors, beside the locked tools"),
    "bench-stocktrim": ((CONTROLLER,), "the StockTrim reference client of the benchmark suite"),
    "bench-foxops": ((CONTROLLER,), "the Foxops reference client of the benchmark suite"),
    "foxops-server": (NEWER, "the real Foxops server the tests and the demo start"),
    "core-2.20": (NEWER, "sanity and unit tests with ansible-core 2.20"),
    "core-2.21": (NEWER, "sanity and unit tests with ansible-core 2.21"),
    "uv": ((CONTROLLER,), "the lock tool of make lock"),
}
FLOOR_TOOLS = ("ansible-core", "cryptography", "pytest", "pytest-xdist", "hypothesis")
MARKER = ".apiops-env.json"


class EnvError(RuntimeError):
    """An environment could not be found, built or locked."""


def lock_dir():
    configured = os.environ.get("APIOPS_LOCK_DIR")
    return Path(configured).resolve() if configured else LOCK_DIR


def cache_dir():
    """$APIOPS_CACHE_DIR, else ~/.cache/apiops-platforms (the Foxops harness uses the same folder)."""
    configured = os.environ.get("APIOPS_CACHE_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "apiops-platforms"


def clean_env(extra=None):
    """The environment for a child Python: nothing of the calling venv or of PYTHONPATH leaks into it."""
    env = dict(os.environ)
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYENV_VERSION", "PIP_REQUIRE_VIRTUALENV"):
        env.pop(name, None)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.update(extra or {})
    return env


# What an interpreter is: its X.Y, and whether it is preferred, that is, it can make a venv with pip (a
# distribution may leave ensurepip out) and runs without a shared libpython mapped (Linux's /proc tells; elsewhere
# it is not preferred).
PROBE = """import sys
try:
    import ensurepip, venv
    preferred = not any('/libpython' in line for line in open('/proc/self/maps'))
except Exception:
    preferred = False
print('%d.%d' % sys.version_info[:2], preferred)"""


def _probe(executable):
    """('X.Y', preferred) of an interpreter, or (None, False) when it does not run."""
    try:
        result = subprocess.run([str(executable), "-c", PROBE], capture_output=True, text=True, timeout=60, check=False,
                                env=clean_env())
    except (OSError, subprocess.SubprocessError):
        return None, False
    words = result.stdout.split()
    if result.returncode != 0 or len(words) != 2 or not re.fullmatch(r"\d+\.\d+", words[0]):
        return None, False
    return words[0], words[1] == "True"


def python_version(executable):
    """'X.Y' of an interpreter, or None when it does not run."""
    return _probe(executable)[0]


def _real_path(executable):
    """The file an interpreter's name or path comes down to, links followed."""
    return os.path.realpath(shutil.which(str(executable)) or str(executable))


def find_python(version):
    """An interpreter of Python X.Y: $APIOPS_PYTHON (3.11) or $APIOPS_PYTHON_X_Y when set; else, of python3,
    pyenv's X.Y.* (newest first) and pythonX.Y in each folder of PATH, the first preferred one (PROBE), or
    else the first of them."""
    named = [os.environ.get("APIOPS_PYTHON_" + version.replace(".", "_"))]
    if version == CONTROLLER:
        named.append(os.environ.get("APIOPS_PYTHON"))
    for candidate in named:
        if candidate and python_version(candidate) == version:
            return candidate
    candidates = [sys.executable, shutil.which("python3") or "python3"]
    if shutil.which("pyenv"):
        listed = subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True, check=False)
        found = [line.strip() for line in listed.stdout.split() if re.fullmatch(re.escape(version) + r"\.\d+", line.strip())]
        for release in sorted(found, key=lambda v: int(v.rsplit(".", 1)[1]), reverse=True):
            prefix = subprocess.run(["pyenv", "prefix", release], capture_output=True, text=True, check=False)
            if prefix.returncode == 0 and prefix.stdout.strip():
                candidates.append(str(Path(prefix.stdout.strip()) / "bin" / "python3"))
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if folder and Path(folder, "python" + version).is_file():
            candidates.append(str(Path(folder, "python" + version)))
    matching, preferred, seen = [], [], set()
    for candidate in candidates:
        real = _real_path(candidate)
        if real not in seen:
            seen.add(real)
            found, good = _probe(candidate)
            if found == version:
                matching.append(candidate)
                if good:
                    preferred.append(candidate)
    if matching:
        return (preferred or matching)[0]
    variable = "APIOPS_PYTHON_" + version.replace(".", "_")
    raise EnvError("no Python %s found (looked at $%s, python3, pyenv's %s.* and python%s on PATH); install one or "
                   "name it in %s" % (version, variable, version, version, variable))


def lock_file(name, version):
    versions = ENVS[name][0]
    if version not in versions:
        raise EnvError("the environment %s is locked for Python %s only, not for Python %s: use one of those "
                       "(APIOPS_PYTHON_%s names the interpreter), or add %s to its versions in scripts/envs.py and "
                       "run make lock" % (name, " and ".join(versions), version,
                                          versions[0].replace(".", "_"), version))
    path = lock_dir() / ("%s-py%s.txt" % (name, version))
    if not path.is_file():
        raise EnvError("%s is missing: run make lock" % path)
    return path


def lock_hash(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _ready(venv, digest):
    try:
        marker = json.loads((venv / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return marker.get("lock") == digest and (venv / "bin" / "python").exists()


def ensure(name, python=None, quiet=False):
    """The folder of environment NAME for the interpreter PYTHON (the controller's 3.11 when not given)."""
    if name not in ENVS:
        raise EnvError("unknown environment %s (known: %s)" % (name, ", ".join(sorted(ENVS))))
    python = python or find_python(ENVS[name][0][0])
    version = python_version(python)
    if version is None:
        raise EnvError("%s does not run" % python)
    lock = lock_file(name, version)
    digest = lock_hash(lock)
    interpreter = hashlib.sha256(_real_path(python).encode()).hexdigest()[:8]
    venv = cache_dir() / "venvs" / ("%s-py%s-%s-%s" % (name, version, digest, interpreter))
    if _ready(venv, digest):
        return venv
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(str(venv) + ".lock", "w", encoding="utf-8") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if not _ready(venv, digest):
            _build(venv, python, lock, digest, quiet)
    return venv


def _build(venv, python, lock, digest, quiet):
    log_path = Path(str(venv) + ".install.log")
    if not quiet:
        print("installing %s into %s" % (lock.relative_to(lock.parents[1]) if lock.is_relative_to(ROOT) else lock, venv),
              file=sys.stderr, flush=True)
    started = time.monotonic()
    if venv.exists():
        shutil.rmtree(venv)
    exe = str(venv / "bin" / "python")
    steps = (
        [str(python), "-m", "venv", str(venv)],
        [exe, "-m", "pip", "install", "--require-hashes", "--no-deps", "-r", str(lock)],
        [exe, "-m", "pip", "check"],
    )
    with open(log_path, "w", encoding="utf-8") as log:
        for step in steps:
            log.write("$ %s\n" % " ".join(step))
            log.flush()
            result = subprocess.run(step, stdout=log, stderr=subprocess.STDOUT, env=clean_env(), check=False)
            if result.returncode != 0:
                log.flush()
                tail = [line for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines()
                        if "is ignored: it is neither a file nor a directory" not in line][-25:]
                raise EnvError("installing %s failed at `%s` (exit %d); log %s:\n%s"
                               % (lock.name, " ".join(step[1:4]), result.returncode, log_path, "\n".join(tail)))
    (venv / MARKER).write_text(json.dumps({"lock": digest, "file": lock.name, "python": str(python),
                                           "seconds": round(time.monotonic() - started, 1)}) + "\n", encoding="utf-8")
    if not quiet:
        print("  ready after %.0f s" % (time.monotonic() - started), file=sys.stderr, flush=True)


# -- locking ---------------------------------------------------------------------------------------------------
def floors_in():
    """lock/floors.in as requirements.txt and lock/dev.in make it: each floor pinned, beside the locked tools."""
    floors = []
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)>=([0-9][^,; ]*)", line.strip())
        if match:
            floors.append("%s==%s" % match.groups())
    tools = [line.strip() for line in (LOCK_DIR / "dev.in").read_text(encoding="utf-8").splitlines()
             if re.split(r"[=<>!~ ]", line.strip(), 1)[0] in FLOOR_TOOLS]
    return ("# Generated by make lock from requirements.txt (each floor) and lock/dev.in (the test tools): the\n"
            "# floors step runs the unit tests with the collection's run-time dependencies at their lowest versions.\n"
            + "\n".join(floors + tools) + "\n")


def check_floors():
    if (LOCK_DIR / "floors.in").read_text(encoding="utf-8") != floors_in():
        raise EnvError("lock/floors.in does not match requirements.txt and lock/dev.in: run make lock")
    print("lock/floors.in matches requirements.txt:",
          " ".join(line for line in floors_in().splitlines() if line and not line.startswith("#")))


def relaxed(line):
    """One requirement opened to the newest releases, for upgrade-check: an exact pin X becomes >=X, and an upper
    bound (a release held back, with its reason beside it) is dropped."""
    match = re.match(r"^([A-Za-z0-9_.\[\]-]+)\s*([^#]*)", line)
    if not match or line.startswith("#"):
        return line
    name, spec = match.group(1), match.group(2).strip()
    kept = [part.strip().replace("==", ">=") for part in spec.split(",") if part.strip() and not part.strip().startswith("<")]
    return name + ",".join(kept)


def lock(upgrade=False, out=None, newest=False):
    """Compile every lock/NAME.in for each of its Python versions into OUT (lock/ by default)."""
    out = Path(out).resolve() if out else LOCK_DIR
    out.mkdir(parents=True, exist_ok=True)
    (LOCK_DIR / "floors.in").write_text(floors_in(), encoding="utf-8") if not newest else None
    uv = ensure("uv", find_python(CONTROLLER)) / "bin" / "uv"
    for name, (versions, _what) in ENVS.items():
        source = LOCK_DIR / (name + ".in")
        if newest:
            lines = source.read_text(encoding="utf-8").splitlines()
            # the floors stay floors: only the tools beside them move
            text = "\n".join(relaxed(line) if name != "floors" or re.split(r"[=<>!~ ]", line, 1)[0] in FLOOR_TOOLS
                             else line for line in lines) + "\n"
            source = out / (name + ".in")
            source.write_text(text, encoding="utf-8")
        for version in versions:
            target = out / ("%s-py%s.txt" % (name, version))
            command = [str(uv), "pip", "compile", str(source), "--quiet", "--generate-hashes",
                       "--python-version", version, "--python-platform", "x86_64-manylinux_2_28",
                       "--index-url", "https://pypi.org/simple", "--no-config", "--emit-index-url",
                       "--custom-compile-command", "make lock", "--output-file", str(target)]
            if upgrade or newest:
                command.append("--upgrade")
            print("locking %s for Python %s" % (name, version), flush=True)
            result = subprocess.run(command, cwd=str(ROOT), env=clean_env({"UV_NO_CACHE": "0"}), check=False,
                                    capture_output=True, text=True)
            if result.returncode != 0:
                raise EnvError("locking %s for Python %s failed:\n%s" % (name, version, result.stderr.strip()))
            # the header names the source relative to the repository, wherever the lock is written
            text = target.read_text(encoding="utf-8").replace(str(ROOT) + "/", "")
            target.write_text(text, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    path = sub.add_parser("path")
    path.add_argument("name")
    path.add_argument("--python")
    path.add_argument("--quiet", action="store_true")
    find = sub.add_parser("python")
    find.add_argument("version")
    locking = sub.add_parser("lock")
    locking.add_argument("--upgrade", action="store_true")
    locking.add_argument("--newest", action="store_true", help="every pin opened (upgrade-check)")
    locking.add_argument("--dir")
    sub.add_parser("check-floors")
    args = parser.parse_args(argv)
    try:
        if args.command == "path":
            print(ensure(args.name, args.python, args.quiet))
        elif args.command == "python":
            print(find_python(args.version))
        elif args.command == "lock":
            lock(args.upgrade, args.dir, args.newest)
        else:
            check_floors()
    except EnvError as error:
        print("error: %s" % error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
