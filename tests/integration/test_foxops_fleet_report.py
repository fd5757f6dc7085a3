# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The foxops_fleet_report role against the real Foxops server, on a fleet of 10 incarnations: three moved on to
v2.0.0, two with a merge request left open, one changed by hand, one whose change was left incomplete, one whose
repository is gone (it cannot be read). The four steps (check -> apply -> idempotent check -> idempotent apply); the
numbers parsed back from the HTML page; the Markdown summary; and a change in the fleet rewrites both files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FOXOPS_TOKEN

BIN = Path(sys.executable).parent
FLEET = ["report-%02d" % number for number in range(1, 11)]

SETUP = """
- name: A fleet of 10 in every state the report shows
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  module_defaults:
    group/apiops.platforms.foxops:
      url: "{{ foxops_url }}"
      token: "{{ foxops_token }}"
  tasks:
    - name: Create the fleet on v1.0.0, in one task
      apiops.platforms.foxops_incarnations:
        template_repository: template
        template_repository_version: v1.0.0
        template_data: {name: Report, age: 1}
        incarnations: %(items)s

    - name: Move three on to v2.0.0
      apiops.platforms.foxops_incarnation:
        incarnation_repository: "{{ item }}"
        template_repository_version: v2.0.0
        change_type: direct
      loop: [report-01, report-02, report-03]

    - name: Propose a change to two, for review
      apiops.platforms.foxops_incarnation:
        incarnation_repository: "{{ item }}"
        template_data: {age: 2}
      loop: [report-04, report-05]

    - name: Propose a change to report-07
      apiops.platforms.foxops_incarnation:
        incarnation_repository: report-07
        template_data: {age: 3}
      register: proposed

    - name: Close its merge request without merging
      ansible.builtin.command:
        argv: ["{{ apiops_python }}", "{{ foxops_harness }}", mr, close, --workdir, "{{ foxops_workdir }}", report-07,
               "{{ proposed.incarnation.merge_request_id }}"]
      changed_when: true

    - name: Update report-07 behind the collection's back, which leaves its change incomplete
      ansible.builtin.uri:
        url: "{{ foxops_url }}/api/incarnations/{{ proposed.incarnation.id }}"
        method: PATCH
        headers:
          Authorization: "Bearer {{ foxops_token }}"
        body_format: json
        body: {requested_data: {age: 4}, automerge: true}
        status_code: 500
""" % {"items": json.dumps([{"incarnation_repository": repository} for repository in FLEET])}

REPORT = """
- name: Report on the fleet
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  module_defaults:
    group/apiops.platforms.foxops:
      url: "{{ foxops_url }}"
      token: "{{ foxops_token }}"
  roles:
    - role: apiops.platforms.foxops_fleet_report
      vars:
        foxops_fleet_report_html: "{{ report_dir }}/fleet.html"
        foxops_fleet_report_markdown: "{{ report_dir }}/fleet.md"
        foxops_fleet_report_title: Fleet of ten
        foxops_fleet_report_incarnations: "{{ query('apiops.platforms.foxops_incarnations', url=foxops_url,
                                              token=foxops_token) | selectattr('incarnation_repository', 'match', 'report-')
                                              | list }}"
"""


class Numbers(HTMLParser):
    """The numbers of the page: the summary table by metric, the bars of each chart, and the rows of each table."""

    def __init__(self):
        super().__init__()
        self.metrics, self.bars, self.rows, self.links = {}, {}, {}, []
        self.metric = self.table = self.template = None
        self.in_cell = False
        self.scripts = 0
        self.external = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag in ("link", "img", "script") and (attrs.get("href") or attrs.get("src")):
            self.external.append(attrs.get("href") or attrs.get("src"))
        if tag == "tr" and "data-metric" in attrs:
            self.metric = attrs["data-metric"]
        if tag == "td" and self.metric:
            self.in_cell = True
        if tag == "table" and attrs.get("id") not in (None, "summary"):
            self.table = attrs["id"]
            self.rows[self.table] = 0
        if tag == "tr" and self.table:
            self.rows[self.table] += 1
        if tag == "svg":
            self.template = attrs["data-template"]
            self.bars[self.template] = {}
        if tag == "g" and self.template:
            self.bars[self.template][attrs["data-version"]] = int(attrs["data-count"])
        if tag == "a":
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "tr":
            self.metric = None
        if tag == "td":
            self.in_cell = False
        if tag == "table":
            self.table = None
        if tag == "svg":
            self.template = None

    def handle_data(self, data):
        if self.in_cell and self.metric and data.strip():
            self.metrics[self.metric] = int(data)


def parse(path):
    numbers = Numbers()
    numbers.feed(path.read_text(encoding="utf-8"))
    for table in numbers.rows:
        numbers.rows[table] -= 1  # the heading row
    return numbers


def play(tmp_path, env, text, name, extra, *options):
    path = tmp_path / ("%s.yml" % name)
    path.write_text(text)
    (tmp_path / "vars.json").write_text(json.dumps(extra))
    proc = subprocess.run([str(BIN / "ansible-playbook"), "-i", "localhost,", "-e", "@%s" % (tmp_path / "vars.json")]
                          + list(options) + [str(path)], env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    output = proc.stdout + proc.stderr
    (tmp_path / ("%s.txt" % name)).write_text(output)
    assert proc.returncode == 0, output[-20000:]
    # a read is sent again after a lost answer (the transport's rule), with a warning: on a busy machine that may happen
    warnings = [line for line in output.splitlines() if "[WARNING]" in line and "retrying GET" not in line]
    assert not warnings, output[-5000:]
    assert FOXOPS_TOKEN not in output
    return output


def changed(output):
    return int(next(line for line in output.splitlines() if line.startswith("localhost")).split("changed=")[1].split()[0])


@pytest.fixture(scope="module")
def fleet(foxops_server, ansible_env, tmp_path_factory):
    for repository in FLEET:
        foxops_server.add_repository(repository)
    tmp_path = tmp_path_factory.mktemp("fleet-report")
    extra = {"foxops_url": foxops_server.url, "foxops_token": FOXOPS_TOKEN, "apiops_python": sys.executable,
             "foxops_workdir": str(foxops_server.workdir),
             "foxops_harness": str(Path(__file__).parents[1] / "harness" / "foxops_server.py")}
    play(tmp_path, ansible_env, SETUP, "setup", extra)
    foxops_server.commit_file("report-06", "README.md", "Tuned by hand\n")
    return extra


def test_the_report_of_a_fleet_of_10_in_four_steps(fleet, foxops_server, ansible_env, tmp_path):
    extra = dict(fleet, report_dir=str(tmp_path / "reports"))
    html, markdown = tmp_path / "reports" / "fleet.html", tmp_path / "reports" / "fleet.md"
    (tmp_path / "reports").mkdir()

    # the four steps on the fleet as it is, read whole at once
    output = play(tmp_path, ansible_env, REPORT, "check", extra, "--check", "--diff")
    assert changed(output) == 2 and not html.exists() and not markdown.exists()
    output = play(tmp_path, ansible_env, REPORT, "apply", extra, "--diff")
    assert changed(output) == 2 and html.exists() and markdown.exists()
    page = html.read_text()
    output = play(tmp_path, ansible_env, REPORT, "check-again", extra, "--check", "--diff")
    assert changed(output) == 0
    output = play(tmp_path, ansible_env, REPORT, "apply-again", extra, "--diff")
    assert changed(output) == 0 and html.read_text() == page
    assert "ok: [localhost] => (item=" not in output  # read whole: no incarnation read on its own

    numbers = parse(html)
    assert numbers.scripts == 0 and numbers.external == []
    assert numbers.metrics == {"incarnations": 10, "templates": 1, "behind": 7, "open_merge_requests": 2,
                               "drifted": 1, "unreadable": 0, "incomplete": 1}
    assert numbers.bars == {"template": {"v1.0.0": 7, "v2.0.0": 3}}
    assert numbers.rows == {"behind": 7, "open_merge_requests": 2, "drifted": 1, "failures": 1}
    assert len(numbers.links) == 2 and all(link for link in numbers.links)

    # an incarnation whose repository is gone cannot be read: each is then read on its own, and the report names it
    shutil.rmtree(foxops_server.hoster_dir / "report-08")
    output = play(tmp_path, ansible_env, REPORT, "unreadable", extra, "--diff")
    assert changed(output) == 2
    assert "Read each incarnation on its own" in output
    numbers = parse(html)
    assert numbers.metrics == {"incarnations": 10, "templates": 1, "behind": 6, "open_merge_requests": 2,
                               "drifted": 1, "unreadable": 1, "incomplete": 1}
    assert numbers.bars == {"template": {"v1.0.0": 6, "v2.0.0": 3}}
    assert numbers.rows == {"behind": 6, "open_merge_requests": 2, "drifted": 1, "failures": 2}
    summary = markdown.read_text()
    assert "| Behind the newest version | 6 |" in summary
    assert "- report-06: " in summary and "- report-08: could not be read" in summary
    assert "- report-07: change left incomplete" in summary

    # a change in the fleet rewrites the files: a merge request merged, the incarnation that cannot be read deleted
    # (the whole fleet is then read at once)
    for mr in foxops_server.list_mrs("report-04"):
        if mr["status"] == "open":
            foxops_server.merge_mr("report-04", mr["id"])
    api(foxops_server, "DELETE", "/api/incarnations/%d" % next(
        i["id"] for i in api(foxops_server, "GET", "/api/incarnations") if i["incarnation_repository"] == "report-08"))
    output = play(tmp_path, ansible_env, REPORT, "after-merge", extra)
    assert changed(output) == 2
    assert "ok: [localhost] => (item=" not in output  # no incarnation read on its own
    assert parse(html).metrics == {"incarnations": 9, "templates": 1, "behind": 6, "open_merge_requests": 1,
                                   "drifted": 1, "unreadable": 0, "incomplete": 1}


def api(server, method, path):
    request = urllib.request.Request(server.url + path, method=method, headers={"Authorization": "Bearer " + FOXOPS_TOKEN})
    with urllib.request.urlopen(request, timeout=30) as resp:
        body = resp.read()
    return json.loads(body) if body else None
