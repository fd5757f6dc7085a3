# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the real Foxops server locally (SQLite database, "local" git hoster) for tests and the demo.

Python standard library only; runs on the machine's default python3. Foxops itself needs Python >= 3.12
and has pins of its own, so it gets an environment of its own, installed from its hashed lock
(lock/foxops-server-pyX.Y.txt) by scripts/envs.py and cached by the lock's hash.

As a library::

    with FoxopsServer(workdir) as server:
        requests.get(server.url + "/version")
        server.merge_mr("inc1", "2")

As a command (see ``--help``)::

    python tests/harness/foxops_server.py start --workdir D     # prints FOXOPS_URL=... and FOXOPS_TOKEN=...
    python tests/harness/foxops_server.py mr list --workdir D inc1
    python tests/harness/foxops_server.py stop --workdir D
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

FOXOPS_VERSION = "2.9.0"
MIN_PYTHON = (3, 12)
HARNESS_DIR = Path(__file__).resolve().parent
APP_MODULE = "foxops_app:create_app"
DEFAULT_TOKEN = "apiops-local-token"
DEFAULT_REPOS = tuple("inc%d" % number for number in range(1, 9))
TEMPLATE_REPO = "template"
TEMPLATE_TAGS = ("v1.0.0", "v2.0.0", "v3.0.0")
MARKER_NAME = ".apiops-env.json"  # written by scripts/envs.py once an install is checked
REPO_NAME = re.compile(r"^[a-z0-9_-]+$")
GIT_USER = ("apiops test harness", "harness@apiops-platforms.invalid")

TEMPLATE_ENGINE_YAML = """\
variables:
  name:
    type: str
    description: The name of the person
  age:
    type: int
    description: The age of the person
  country:
    type: str
    description: The country the person lives in
    default: Switzerland
"""

# (tag, {path: content}) applied in order to the template repository, each commit tagged.
TEMPLATE_HISTORY = (
    ("v1.0.0", {
        "fengine.yaml": TEMPLATE_ENGINE_YAML,
        "template/README.md": "{{ name }} is of age {{ age }}\n",
    }),
    ("v2.0.0", {
        "template/README.md": "{{ name }} is of age {{ age }} and lives in {{ country }}\n",
    }),
    ("v3.0.0", {
        "template/ABOUT.md": "# About {{ name }}\n\nAge: {{ age }}\nCountry: {{ country }}\n",
    }),
)

_DB_SCRIPT = """\
import sys
from sqlalchemy import create_engine
from foxops.database.schema import meta
engine = create_engine("sqlite:///" + sys.argv[1])
meta.create_all(engine)
engine.dispose()
"""

_MR_SCRIPT = """\
import asyncio
import json
import os
import sys
from pathlib import Path
from foxops.hosters.local import LocalHoster

hoster = LocalHoster(Path(os.environ["FOXOPS_HOSTER_LOCAL_DIRECTORY"]))
command, repo = sys.argv[1], sys.argv[2]
if command == "list":
    mrs = sorted(hoster._mr_manager(repo), key=lambda mr: int(mr.id) if str(mr.id).isdigit() else str(mr.id))
    print(json.dumps([mr.model_dump(mode="json") for mr in mrs]))
elif command == "close":
    hoster.close_merge_request(repo, sys.argv[3])
    print(json.dumps(hoster.get_merge_request(repo, sys.argv[3]).model_dump(mode="json")))
elif command == "merge":
    mr = hoster.get_merge_request(repo, sys.argv[3])
    message = "Merge branch '%s' into 'main'" % mr.source_branch
    asyncio.run(hoster.merge_merge_request(repo, sys.argv[3], message))
    print(json.dumps(hoster.get_merge_request(repo, sys.argv[3]).model_dump(mode="json")))
else:
    sys.exit("unknown command " + command)
"""


class FoxopsHarnessError(RuntimeError):
    """The local Foxops server or its environment could not be set up or driven."""


# --------------------------------------------------------------------------------------------------------
# The Foxops venv


def _envs():
    """scripts/envs.py, the project's one place that installs tool environments from their hashed locks."""
    spec = importlib.util.spec_from_file_location("apiops_envs", HARNESS_DIR.parents[1] / "scripts" / "envs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cache_dir():
    """The folder holding the cached environments: $APIOPS_CACHE_DIR, else ~/.cache/apiops-platforms."""
    return _envs().cache_dir()


def _python_version(executable):
    """(major, minor) of a Python executable, or None when it does not run."""
    try:
        result = subprocess.run(
            [str(executable), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.fullmatch(r"(\d+)\.(\d+)", result.stdout.strip()) if result.returncode == 0 else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def _pyenv_candidates():
    """Interpreters of pyenv's installed CPython versions >= 3.12, newest first."""
    if not shutil.which("pyenv"):
        return []
    try:
        listed = subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    versions = []
    for line in listed.stdout.split():
        match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", line.strip())
        if match and (int(match.group(1)), int(match.group(2))) >= MIN_PYTHON:
            versions.append((tuple(int(part) for part in match.groups()), line.strip()))
    candidates = []
    for _numbers, version in sorted(versions, reverse=True):
        try:
            prefix = subprocess.run(["pyenv", "prefix", version], capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            continue
        if prefix.returncode == 0 and prefix.stdout.strip():
            candidates.append(Path(prefix.stdout.strip()) / "bin" / "python3")
    return candidates


def find_python():
    """Return (path, (major, minor)) of a Python >= 3.12 for the Foxops venv.

    Looks at $FOXOPS_PYTHON, then pyenv's versions >= 3.12 (newest first), then python3.13 and python3.12 on PATH.
    """
    wanted = "%d.%d" % MIN_PYTHON
    configured = os.environ.get("FOXOPS_PYTHON")
    if configured:
        version = _python_version(configured)
        if version is None or version < MIN_PYTHON:
            raise FoxopsHarnessError(
                "FOXOPS_PYTHON=%s is not a working Python >= %s (found %s)"
                % (configured, wanted, "%d.%d" % version if version else "nothing that runs")
            )
        return Path(configured), version
    searched = ["$FOXOPS_PYTHON (not set)"]
    candidates = _pyenv_candidates()
    if shutil.which("pyenv"):
        searched.append("pyenv versions >= %s (%s)" % (wanted, ", ".join(str(c) for c in candidates) or "none"))
    else:
        searched.append("pyenv (not on PATH)")
    for name in ("python3.13", "python3.12"):
        found = shutil.which(name)
        searched.append("%s on PATH (%s)" % (name, found or "not found"))
        if found:
            candidates.append(Path(found))
    for candidate in candidates:
        version = _python_version(candidate)
        if version is not None and version >= MIN_PYTHON:
            return candidate, version
    raise FoxopsHarnessError(
        "Foxops %s needs Python >= %s and none was found. Searched: %s. "
        "Install one and/or set FOXOPS_PYTHON=/path/to/python3.12-or-newer."
        % (FOXOPS_VERSION, wanted, "; ".join(searched))
    )


def _tail(path, lines=40):
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log at %s)" % path
    return "\n".join(text.splitlines()[-lines:])


def ensure_venv(quiet=False):
    """The Foxops server's environment, installed once from its hashed lock (lock/foxops-server-pyX.Y.txt) for
    the interpreter find_python() finds, and cached by the lock's hash; return its folder.

    Concurrent callers (parallel test workers) wait for one install; a Python with no lock fails with a message
    that names the locked versions.
    """
    python, _version = find_python()
    envs = _envs()
    try:
        return envs.ensure("foxops-server", str(python), quiet=quiet)
    except envs.EnvError as error:
        raise FoxopsHarnessError(str(error)) from None


def _clean_python_env(env):
    """Drop variables of the calling Python that must not leak into the Foxops venv."""
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYENV_VERSION"):
        env.pop(name, None)
    return env


# --------------------------------------------------------------------------------------------------------
# Helpers


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped) counts as gone
        with open("/proc/%d/stat" % pid, encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _signal_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass
    except PermissionError:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def terminate_pid(pid, timeout=10.0):
    """Stop the process group led by pid (SIGTERM, then SIGKILL after timeout seconds)."""
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _process_alive(pid):
            break
        time.sleep(0.05)
    else:
        _signal_group(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _process_alive(pid):
            time.sleep(0.05)
    # children of the group (git) may outlive the leader for a moment
    _signal_group(pid, signal.SIGKILL)


# --------------------------------------------------------------------------------------------------------
# The server


class FoxopsServer:
    """A real Foxops server on 127.0.0.1 with its own SQLite database and local git hoster under workdir.

    Attributes: url ("http://127.0.0.1:<port>", set by start()), token, port, workdir, hoster_dir, db_path,
    log_path, repos (incarnation repository names), template_repo ("template"), pid.
    """

    def __init__(self, workdir, token=DEFAULT_TOKEN, port=0, repos=DEFAULT_REPOS, startup_timeout=60.0):
        self.workdir = Path(workdir).resolve()
        self.token = token
        self.requested_port = int(port or 0)
        self.port = self.requested_port or None
        self.repos = list(repos)
        self.template_repo = TEMPLATE_REPO
        self.startup_timeout = startup_timeout
        self.hoster_dir = self.workdir / "hoster"
        self.db_path = self.workdir / "foxops.sqlite"
        self.log_path = self.workdir / "server.log"
        self.gitconfig = self.workdir / "gitconfig"
        self.frontend_dir = self.workdir / "frontend-dist"
        self.pid_path = self.workdir / "server.pid"
        self.info_path = self.workdir / "server.json"
        self.url = "http://127.0.0.1:%d" % self.port if self.port else None
        self.venv = None
        self.pid = None
        self.startup_seconds = None
        self._process = None
        for name in self.repos:
            _check_repo_name(name)

    # ---- lifecycle

    @classmethod
    def attach(cls, workdir):
        """A FoxopsServer for the server started earlier in workdir (reads workdir/server.json)."""
        info_path = Path(workdir).resolve() / "server.json"
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FoxopsHarnessError("no Foxops server state in %s (%s); run `start` first" % (workdir, exc)) from exc
        server = cls(workdir, token=info["token"], port=info["port"], repos=info.get("repos", DEFAULT_REPOS))
        server.pid = info.get("pid")
        server.venv = Path(info["venv"]) if info.get("venv") else None
        return server

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self, fresh=True):
        """Set up the hoster and database (anew unless fresh=False finds them) and start the server.

        Returns self once GET /version answers. Raises FoxopsHarnessError with the log's tail on failure.
        """
        if self._process is not None and self._process.poll() is None:
            raise FoxopsHarnessError("this Foxops server is already running at %s" % self.url)
        running = self._recorded_pid()
        if running:
            raise FoxopsHarnessError("a Foxops server (pid %s) already runs in %s; stop it first" % (running, self.workdir))
        self.venv = ensure_venv()
        self.workdir.mkdir(parents=True, exist_ok=True)
        for folder in ("assets", "favicons"):  # what Foxops looks for in its (here empty) frontend build
            (self.frontend_dir / folder).mkdir(parents=True, exist_ok=True)
        (self.frontend_dir / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
        self._write_gitconfig()
        if fresh or not (self.hoster_dir / self.template_repo / "git").is_dir():
            self._setup_hoster()
        else:
            for name in self.repos:
                self.add_repository(name)
        if fresh and self.db_path.exists():
            self.db_path.unlink()
        self._run_foxops_python(_DB_SCRIPT, str(self.db_path))
        attempts = 1 if self.requested_port else 5
        for attempt in range(attempts):
            port = self.requested_port or free_port()
            if self._launch(port):
                return self
            if attempt + 1 < attempts and "address already in use" in _tail(self.log_path, 20).lower():
                continue
            break
        raise FoxopsHarnessError(
            "the Foxops server did not start on port %s; tail of %s:\n%s" % (self.port, self.log_path, _tail(self.log_path))
        )

    def _launch(self, port):
        """Start uvicorn on port and wait for /version; True when it answers, False when the process died."""
        self.port = port
        self.url = "http://127.0.0.1:%d" % port
        command = [
            str(self.venv / "bin" / "python"), "-m", "uvicorn",
            "--app-dir", str(HARNESS_DIR), APP_MODULE, "--factory",
            "--host", "127.0.0.1", "--port", str(port),
        ]
        started = time.monotonic()
        with open(self.log_path, "ab") as log:
            log.write(("\n=== %s starting Foxops %s on %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%S"), FOXOPS_VERSION, self.url)).encode())
            log.flush()
            # its own session: a detached server outlives the command that started it, and stop() ends the group
            self._process = subprocess.Popen(  # pylint: disable=consider-using-with
                command, cwd=str(self.workdir), env=self.environment(), stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self.pid = self._process.pid
        deadline = started + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._process = None
                self.pid = None
                return False
            if self._answers() and self._process.poll() is None:  # ours, not another server on a reused port
                self.startup_seconds = time.monotonic() - started
                self._write_state()
                return True
            time.sleep(0.1)
        self.stop()
        raise FoxopsHarnessError(
            "the Foxops server did not answer GET %s/version within %.0f s; tail of %s:\n%s"
            % (self.url, self.startup_timeout, self.log_path, _tail(self.log_path))
        )

    def _answers(self):
        try:
            with urllib.request.urlopen(self.url + "/version", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def is_running(self):
        """True while the server process is alive."""
        if self._process is not None:
            return self._process.poll() is None
        return bool(self.pid) and _process_alive(self.pid)

    def stop(self, timeout=10.0):
        """Stop the server's process group (SIGTERM, then SIGKILL) and forget its state file. Idempotent."""
        pid = self.pid or self._recorded_pid()
        if self._process is not None:
            pid = self._process.pid
            _signal_group(pid, signal.SIGTERM)
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(pid, signal.SIGKILL)
                self._process.wait(5)
            _signal_group(pid, signal.SIGKILL)
            self._process = None
        elif pid:
            terminate_pid(pid, timeout)
        self.pid = None
        for path in (self.pid_path, self.info_path):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def _recorded_pid(self):
        """The pid in workdir/server.pid when that process still runs, else None."""
        try:
            pid = int(self.pid_path.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None
        return pid if _process_alive(pid) else None

    def _write_state(self):
        self.pid_path.write_text("%d\n" % self.pid, encoding="utf-8")
        info = {
            "url": self.url, "token": self.token, "hoster_dir": str(self.hoster_dir), "port": self.port, "pid": self.pid,
            "workdir": str(self.workdir), "log": str(self.log_path), "venv": str(self.venv), "repos": self.repos,
            "template_repository": self.template_repo, "template_versions": list(TEMPLATE_TAGS),
            "foxops_version": FOXOPS_VERSION,
        }
        fd = os.open(self.info_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(info, handle, indent=2)
            handle.write("\n")

    # ---- environment

    def environment(self):
        """The environment of the server and of the helpers run in the Foxops venv."""
        env = _clean_python_env(dict(os.environ))
        env.update({
            "FOXOPS_STATIC_TOKEN": self.token,
            "FOXOPS_HOSTER_TYPE": "local",
            "FOXOPS_HOSTER_LOCAL_DIRECTORY": str(self.hoster_dir),
            "FOXOPS_DATABASE_URL": "sqlite+aiosqlite:///%s" % self.db_path,
            "FOXOPS_FRONTEND_DIST_DIR": str(self.frontend_dir),
            "FOXOPS_LOG_LEVEL": "WARNING",
            "GIT_CONFIG_GLOBAL": str(self.gitconfig),
            "GIT_TERMINAL_PROMPT": "0",
            "PYTHONWARNINGS": "ignore",  # deprecation and missing-secrets-folder warnings of Foxops' dependencies
        })
        return env

    def _git_env(self):
        env = dict(os.environ)
        env.update({"GIT_CONFIG_GLOBAL": str(self.gitconfig), "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"})
        return env

    def _write_gitconfig(self):
        self.gitconfig.parent.mkdir(parents=True, exist_ok=True)
        self.gitconfig.write_text(
            "[init]\n\tdefaultBranch = main\n[user]\n\tname = %s\n\temail = %s\n[advice]\n\tdetachedHead = false\n" % GIT_USER,
            encoding="utf-8",
        )

    def _git(self, *args, cwd=None):
        result = subprocess.run(["git", *args], cwd=cwd, env=self._git_env(), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise FoxopsHarnessError("git %s failed (exit %d): %s" % (" ".join(args), result.returncode, result.stderr.strip()))
        return result.stdout

    def _run_foxops_python(self, script, *args):
        if self.venv is None:
            self.venv = ensure_venv()
        if not self.gitconfig.exists():
            self._write_gitconfig()
        result = subprocess.run(
            [str(self.venv / "bin" / "python"), "-c", script, *args],
            cwd=str(self.workdir), env=self.environment(), capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise FoxopsHarnessError(
                "a Foxops helper (%s) failed (exit %d):\n%s" % (" ".join(args), result.returncode, result.stderr.strip()[-3000:])
            )
        return result.stdout

    # ---- hoster

    def _setup_hoster(self):
        if self.hoster_dir.exists():
            shutil.rmtree(self.hoster_dir)
        self.hoster_dir.mkdir(parents=True)
        self._create_template()
        for name in self.repos:
            self.add_repository(name)

    def _create_template(self, name=None):
        bare = self._create_bare(name or self.template_repo)
        with tempfile.TemporaryDirectory(prefix="foxops-template-") as work:
            self._git("init", "-q", "-b", "main", work)
            for tag, files in TEMPLATE_HISTORY:
                for relative, content in files.items():
                    target = Path(work) / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(content, encoding="utf-8")
                self._git("add", "-A", cwd=work)
                self._git("commit", "-q", "-m", "Template %s" % tag, cwd=work)
                self._git("tag", tag, cwd=work)
            self._git("push", "-q", "--tags", str(bare), "main", cwd=work)

    def _create_bare(self, name):
        _check_repo_name(name)
        bare = self.hoster_dir / name / "git"
        if not bare.is_dir():
            bare.parent.mkdir(parents=True, exist_ok=True)
            self._git("init", "-q", "--bare", "-b", "main", str(bare))
        (self.hoster_dir / name / "merge_requests").mkdir(exist_ok=True)
        return bare

    def add_repository(self, name):
        """Create an empty incarnation repository `name` in the hoster (works while the server runs)."""
        if not self.gitconfig.exists():
            self._write_gitconfig()
        self.hoster_dir.mkdir(parents=True, exist_ok=True)
        self._create_bare(name)
        if name not in self.repos and name != self.template_repo:
            self.repos.append(name)
        return self.hoster_dir / name / "git"

    def commit_file(self, repo, path, content, message="Manual change"):
        """Push a manual change (path := content) to repo's main branch; returns the new commit sha."""
        bare = self.hoster_dir / repo / "git"
        if not bare.is_dir():
            raise FoxopsHarnessError("no repository %r in %s" % (repo, self.hoster_dir))
        if not self.gitconfig.exists():
            self._write_gitconfig()
        with tempfile.TemporaryDirectory(prefix="foxops-commit-") as work:
            self._git("clone", "-q", str(bare), work)
            self._git("checkout", "-q", "-B", "main", cwd=work)
            target = Path(work) / path
            if not Path(os.path.normpath(target)).is_relative_to(Path(work)):
                raise FoxopsHarnessError("path %r leaves the repository" % path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            self._git("add", "--", path, cwd=work)
            self._git("commit", "-q", "-m", message, cwd=work)
            self._git("push", "-q", "origin", "main:main", cwd=work)
            return self._git("rev-parse", "HEAD", cwd=work).strip()

    def add_template(self, name):
        """Create another template repository `name` with the same history and tags as the default one."""
        if not self.gitconfig.exists():
            self._write_gitconfig()
        if (self.hoster_dir / name / "git").is_dir():
            raise FoxopsHarnessError("repository %r exists already" % name)
        self._create_template(name)
        return self.hoster_dir / name / "git"

    def remove_file(self, repo, path, message="Remove a file"):
        """Push a commit that removes path from repo's main branch; returns the new commit sha."""
        bare = self.hoster_dir / repo / "git"
        if not bare.is_dir():
            raise FoxopsHarnessError("no repository %r in %s" % (repo, self.hoster_dir))
        if not self.gitconfig.exists():
            self._write_gitconfig()
        with tempfile.TemporaryDirectory(prefix="foxops-remove-") as work:
            self._git("clone", "-q", str(bare), work)
            self._git("checkout", "-q", "-B", "main", cwd=work)
            self._git("rm", "-q", "--", path, cwd=work)
            self._git("commit", "-q", "-m", message, cwd=work)
            self._git("push", "-q", "origin", "main:main", cwd=work)
            return self._git("rev-parse", "HEAD", cwd=work).strip()

    # ---- merge requests (the local hoster has no HTTP API for them)

    def _mr(self, command, repo, mr_id=None):
        args = [command, repo] + ([str(mr_id)] if mr_id is not None else [])
        return json.loads(self._run_foxops_python(_MR_SCRIPT, *args))

    def list_mrs(self, repo):
        """The merge requests of repo as dicts (id, title, description, source_branch, status, ...), oldest first."""
        return self._mr("list", repo)

    def merge_mr(self, repo, mr_id):
        """Merge merge request mr_id of repo into main, as a hoster would; returns the MR as a dict."""
        return self._mr("merge", repo, mr_id)

    def close_mr(self, repo, mr_id):
        """Close merge request mr_id of repo without merging; returns the MR as a dict."""
        return self._mr("close", repo, mr_id)


def _check_repo_name(name):
    if not REPO_NAME.match(name or ""):
        raise FoxopsHarnessError("repository name %r must match %s" % (name, REPO_NAME.pattern))


# --------------------------------------------------------------------------------------------------------
# Command line


def _parser():
    parser = argparse.ArgumentParser(description="Run the real Foxops server locally for tests and the demo.")
    commands = parser.add_subparsers(dest="command", required=True)

    start = commands.add_parser("start", help="set up and start a server in the background; prints FOXOPS_URL and FOXOPS_TOKEN")
    start.add_argument("--workdir", required=True, help="folder for the hoster, database, log and state files")
    start.add_argument("--token", default=DEFAULT_TOKEN, help="the static API token (default: %(default)s)")
    start.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (default: a free one)")
    start.add_argument("--repos", default=",".join(DEFAULT_REPOS), help="comma-separated incarnation repositories")
    start.add_argument("--keep", action="store_true", help="keep an existing hoster and database instead of starting anew")

    stop = commands.add_parser("stop", help="stop the server started in --workdir")
    stop.add_argument("--workdir", required=True)

    status = commands.add_parser("status", help="tell whether the server of --workdir runs (exit 1 when not)")
    status.add_argument("--workdir", required=True)

    mr = commands.add_parser("mr", help="list, merge or close merge requests of the local hoster")
    mr.add_argument("action", choices=("list", "merge", "close"))
    mr.add_argument("--workdir", required=True)
    mr.add_argument("repo")
    mr.add_argument("mr_id", nargs="?")

    commit = commands.add_parser("commit", help="push a manual change of one file to a repository's main branch")
    commit.add_argument("--workdir", required=True)
    commit.add_argument("--message", default="Manual change")
    commit.add_argument("repo")
    commit.add_argument("path")
    commit.add_argument("content")

    remove = commands.add_parser("remove", help="push a commit that removes one file from a repository's main branch")
    remove.add_argument("--workdir", required=True)
    remove.add_argument("repo")
    remove.add_argument("path")

    template = commands.add_parser("add-template", help="create another template repository with the default one's tags")
    template.add_argument("--workdir", required=True)
    template.add_argument("repo")

    repo = commands.add_parser("add-repo", help="create an empty incarnation repository")
    repo.add_argument("--workdir", required=True)
    repo.add_argument("repo")

    commands.add_parser("ensure-venv", help="build the Foxops venv if needed and print its folder")
    return parser


def _workdir_server(workdir):
    """The attached server of workdir, or a bare one when no server state is there (hoster helpers still work)."""
    try:
        return FoxopsServer.attach(workdir)
    except FoxopsHarnessError:
        server = FoxopsServer(workdir)
        if not server.hoster_dir.is_dir():
            raise
        return server


def main(argv=None):
    """Command-line entry point; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "ensure-venv":
            print(ensure_venv())
        elif args.command == "start":
            repos = [name for name in args.repos.split(",") if name]
            server = FoxopsServer(args.workdir, token=args.token, port=args.port, repos=repos)
            server.start(fresh=not args.keep)
            print("FOXOPS_URL=%s" % server.url)
            print("FOXOPS_TOKEN=%s" % server.token)
            print("Foxops %s answers at %s after %.1f s (pid %s; stop with: %s stop --workdir %s)"
                  % (FOXOPS_VERSION, server.url, server.startup_seconds, server.pid, sys.argv[0], server.workdir), file=sys.stderr)
        elif args.command == "stop":
            server = FoxopsServer(args.workdir)
            pid = server._recorded_pid()  # pylint: disable=protected-access
            server.stop()
            print("stopped pid %s" % pid if pid else "no server was running in %s" % server.workdir)
        elif args.command == "status":
            pid = FoxopsServer(args.workdir)._recorded_pid()  # pylint: disable=protected-access
            if not pid:
                print("not running")
                return 1
            print("running: url=%s pid=%s" % (FoxopsServer.attach(args.workdir).url, pid))
        elif args.command == "mr":
            server = _workdir_server(args.workdir)
            if args.action != "list" and not args.mr_id:
                raise FoxopsHarnessError("mr %s needs a merge request id" % args.action)
            handler = {"list": server.list_mrs, "merge": server.merge_mr, "close": server.close_mr}[args.action]
            result = handler(args.repo) if args.action == "list" else handler(args.repo, args.mr_id)
            print(json.dumps(result, indent=2))
        elif args.command == "commit":
            print(_workdir_server(args.workdir).commit_file(args.repo, args.path, args.content, args.message))
        elif args.command == "remove":
            print(_workdir_server(args.workdir).remove_file(args.repo, args.path))
        elif args.command == "add-template":
            print(_workdir_server(args.workdir).add_template(args.repo))
        elif args.command == "add-repo":
            print(_workdir_server(args.workdir).add_repository(args.repo))
    except FoxopsHarnessError as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
