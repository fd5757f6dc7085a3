# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The local Foxops harness against the real server: start, API calls, merge requests, manual changes, stop."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

HARNESS = Path(__file__).resolve().parents[1] / "harness"
sys.path.insert(0, str(HARNESS))

import foxops_server  # noqa: E402  pylint: disable=wrong-import-position

TOKEN = "harness-test-token"
TIMEOUT = 60


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with foxops_server.FoxopsServer(tmp_path_factory.mktemp("foxops"), token=TOKEN) as running:
        yield running


@pytest.fixture(scope="module")
def api(server):
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + server.token
    yield session
    session.close()


def create(server, api, repo, version="v1.0.0", data=None):
    response = api.post(server.url + "/api/incarnations", timeout=TIMEOUT, json={
        "incarnation_repository": repo,
        "template_repository": server.template_repo,
        "template_repository_version": version,
        "template_data": data or {"name": "Jon", "age": 18},
    })
    assert response.status_code == 201, response.text
    return response.json()


def group_members(pgid):
    """Pids of live (non-zombie) processes in process group pgid."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def port_refuses(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_version_answers(server):
    assert server.url == "http://127.0.0.1:%d" % server.port
    response = requests.get(server.url + "/version", timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.text.strip().strip('"') == foxops_server.FOXOPS_VERSION
    info = json.loads((server.workdir / "server.json").read_text(encoding="utf-8"))
    assert info["url"] == server.url and info["token"] == TOKEN and info["hoster_dir"] == str(server.hoster_dir)
    assert int((server.workdir / "server.pid").read_text(encoding="utf-8")) == server.pid


def test_hoster_layout(server):
    for name in [server.template_repo, *foxops_server.DEFAULT_REPOS]:
        assert (server.hoster_dir / name / "git" / "HEAD").read_text(encoding="utf-8").strip() == "ref: refs/heads/main"
    assert (server.hoster_dir / "inc1" / "merge_requests").is_dir()
    tags = subprocess.run(["git", "tag"], cwd=server.hoster_dir / "template" / "git", capture_output=True, text=True, check=True)
    assert tags.stdout.split() == list(foxops_server.TEMPLATE_TAGS)


def test_token_is_required(server):
    assert requests.get(server.url + "/api/incarnations", timeout=TIMEOUT).status_code == 400
    wrong = requests.get(server.url + "/api/incarnations", headers={"Authorization": "Bearer nope"}, timeout=TIMEOUT)
    assert wrong.status_code == 401


def test_create_patch_and_merge(server, api):
    created = create(server, api, "inc1")
    assert created["revision"] == 1 and created["template_data_full"]["country"] == "Switzerland"

    patched = api.patch(server.url + "/api/incarnations/%d" % created["id"], timeout=TIMEOUT,
                        json={"requested_data": {"age": 19}, "automerge": False})
    assert patched.status_code == 200, patched.text
    patched = patched.json()
    assert patched["merge_request_status"] == "open" and patched["revision"] == 2
    mr_id = patched["merge_request_id"]

    mrs = server.list_mrs("inc1")
    assert [(str(mr["id"]), mr["status"]) for mr in mrs] == [(mr_id, "open")]
    assert mrs[0]["source_branch"].startswith("foxops/")

    merged = server.merge_mr("inc1", mr_id)
    assert merged["status"] == "merged"
    got = api.get(server.url + "/api/incarnations/%d" % created["id"], timeout=TIMEOUT).json()
    assert got["merge_request_status"] == "merged"
    assert got["template_data"]["age"] == 19


def test_close_merge_request(server, api):
    created = create(server, api, "inc2")
    patched = api.patch(server.url + "/api/incarnations/%d" % created["id"], timeout=TIMEOUT,
                        json={"requested_version": "v2.0.0", "automerge": False}).json()
    assert server.close_mr("inc2", patched["merge_request_id"])["status"] == "closed"
    got = api.get(server.url + "/api/incarnations/%d" % created["id"], timeout=TIMEOUT).json()
    assert got["merge_request_status"] == "closed"


def test_manual_change_shows_in_diff(server, api):
    created = create(server, api, "inc3")
    diff_url = server.url + "/api/incarnations/%d/diff" % created["id"]
    assert api.get(diff_url, timeout=TIMEOUT).text.strip() == ""
    sha = server.commit_file("inc3", "README.md", "a manual customisation\n", "Customise the readme")
    assert len(sha) == 40
    diff = api.get(diff_url, timeout=TIMEOUT)
    assert diff.status_code == 200
    assert "+a manual customisation" in diff.text


def test_added_repository_takes_an_incarnation(server, api):
    server.add_repository("extra-repo")
    assert "extra-repo" in server.repos
    created = create(server, api, "extra-repo", version="v3.0.0", data={"name": "Ann", "age": 30, "country": "Norway"})
    assert created["template_repository_version"] == "v3.0.0"


def test_server_error_is_fast(server, api):
    # The stock Foxops log renders each unhandled exception as a rich traceback with every local of every frame:
    # tens of seconds with the event loop blocked, and tens of megabytes of log, before the 500 is sent.
    # foxops_app.py makes it a plain traceback.  Foxops logs the error before it answers, so once the 500 is
    # here its log entry is complete: the entry shows which rendering ran, whatever the load of the machine.
    started = time.monotonic()
    created = create(server, api, "inc4")
    plain_seconds = time.monotonic() - started  # a request doing as much git work as the failing one, or more
    logged = server.log_path.stat().st_size
    started = time.monotonic()
    response = api.patch(server.url + "/api/incarnations/%d" % created["id"], timeout=TIMEOUT,
                         json={"requested_version": "v9.9.9", "automerge": True})
    error_seconds = time.monotonic() - started
    assert response.status_code == 500
    with open(server.log_path, "rb") as log:
        log.seek(logged)
        entry = log.read().decode("utf-8", errors="replace")
    assert "invalid reference: v9.9.9" in entry and "Traceback (most recent call last):" in entry
    rich_marks = ("\x1b[", "\u256d", "\u2502")  # a colour code; the corner and the side of a rich traceback's frames
    assert not any(mark in entry for mark in rich_marks), "an HTTP 500 must not render a slow rich traceback:\n" + entry[:2000]
    assert len(entry) < 1_000_000, "a plain traceback takes kilobytes of log, a rich one megabytes"
    # the answer itself: a rich traceback takes tens of seconds, a plain one no longer than the request above;
    # the bound grows with that request, so a busy machine slows both alike
    assert error_seconds < max(10.0, 20 * plain_seconds), "an HTTP 500 must not render a slow rich traceback"


def test_stop_leaves_no_process(tmp_path):
    server = foxops_server.FoxopsServer(tmp_path / "foxops", repos=("one",))
    with server:
        pid, port = server.pid, server.port
        assert server.is_running() and group_members(pid)
        assert requests.get(server.url + "/version", timeout=TIMEOUT).status_code == 200
    assert not server.is_running()
    assert group_members(pid) == []
    assert port_refuses(port)
    assert not (tmp_path / "foxops" / "server.pid").exists()
    server.stop()  # idempotent


def test_taken_port_is_a_clear_error(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = foxops_server.FoxopsServer(tmp_path / "foxops", port=taken.getsockname()[1], repos=())
        with pytest.raises(foxops_server.FoxopsHarnessError, match="did not start"):
            server.start()
    assert not server.is_running()


def test_bad_foxops_python_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("FOXOPS_PYTHON", "/nonexistent/python3")
    with pytest.raises(foxops_server.FoxopsHarnessError, match="FOXOPS_PYTHON"):
        foxops_server.find_python()


def run_cli(*args):
    env = dict(os.environ)
    return subprocess.run([sys.executable, str(HARNESS / "foxops_server.py"), *args],
                          capture_output=True, text=True, timeout=180, env=env, check=False)


def test_cli_runs_a_detached_server(tmp_path):
    workdir = tmp_path / "cli"
    started = run_cli("start", "--workdir", str(workdir), "--token", TOKEN)
    assert started.returncode == 0, started.stderr
    values = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)
    assert values["FOXOPS_TOKEN"] == TOKEN
    assert TOKEN not in started.stderr and started.stdout.count(TOKEN) == 1
    url = values["FOXOPS_URL"]
    pid = int((workdir / "server.pid").read_text(encoding="utf-8"))
    try:
        # the command has exited; its server goes on
        assert requests.get(url + "/version", timeout=TIMEOUT).status_code == 200
        info = json.loads((workdir / "server.json").read_text(encoding="utf-8"))
        assert info["url"] == url and info["hoster_dir"] == str(workdir / "hoster")
        assert run_cli("status", "--workdir", str(workdir)).returncode == 0

        response = requests.post(url + "/api/incarnations", headers={"Authorization": "Bearer " + TOKEN}, timeout=TIMEOUT, json={
            "incarnation_repository": "inc5", "template_repository": "template",
            "template_repository_version": "v2.0.0", "template_data": {"name": "Jon", "age": 18},
        })
        assert response.status_code == 201, response.text
        listed = run_cli("mr", "list", "--workdir", str(workdir), "inc5")
        assert listed.returncode == 0 and json.loads(listed.stdout) == []
        committed = run_cli("commit", "--workdir", str(workdir), "inc5", "notes/extra.txt", "hello\n")
        assert committed.returncode == 0 and len(committed.stdout.strip()) == 40
        diff = requests.get(url + "/api/incarnations/%d/diff" % response.json()["id"],
                            headers={"Authorization": "Bearer " + TOKEN}, timeout=TIMEOUT)
        assert "+hello" in diff.text
    finally:
        stopped = run_cli("stop", "--workdir", str(workdir))
    assert stopped.returncode == 0 and "stopped pid %d" % pid in stopped.stdout
    assert group_members(pid) == []
    assert run_cli("status", "--workdir", str(workdir)).returncode == 1
    assert run_cli("stop", "--workdir", str(workdir)).returncode == 0


def test_cli_ensure_venv_prints_the_venv():
    result = run_cli("ensure-venv")
    assert result.returncode == 0, result.stderr
    venv = Path(result.stdout.strip())
    assert (venv / "bin" / "python").exists() and (venv / foxops_server.MARKER_NAME).is_file()
