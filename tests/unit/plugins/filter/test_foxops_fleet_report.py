# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The numbers of the fleet report: versions in semantic-version order, the newest per template (or the one given),
the incarnations behind it, open merge requests, manual changes, and failures (unreadable, incomplete)."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.apiops.platforms.plugins.filter.foxops_fleet_report import foxops_fleet_report, name_of, version_key


def inc(repository, version, template="tpl", directory=".", **extra):
    return dict({"id": hash(repository) % 1000, "incarnation_repository": repository, "target_directory": directory,
                 "template_repository": template, "template_repository_version": version,
                 "merge_request_status": None, "status": "success", "diff": ""}, **extra)


@pytest.mark.parametrize("versions", [
    ["main", "v1.0.0", "v1.2.0", "v1.10.0", "v2.0.0-rc.1", "v2.0.0-rc.2", "v2.0.0", "v10.0"],
    ["0.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0"],
])
def test_versions_sort_in_semantic_version_order(versions):
    assert sorted(reversed(versions), key=version_key) == versions


def test_the_report_of_a_fleet():
    fleet = [
        inc("a", "v1.2.0"), inc("b", "v1.10.0"), inc("c", "v1.10.0", directory="svc"),
        inc("d", "v1.2.0", merge_request_status="open", merge_request_url="https://git/mr/1", diff="+x\n"),
        inc("e", "v1.9.0", diff="--- a/f\n+++ b/f\n-old\n+new\n"),
        inc("f", "v3.0.0", template="other", status="unknown", diff="-a\n"),
    ]
    report = foxops_fleet_report(fleet)
    assert report["counts"] == {"incarnations": 6, "templates": 2, "behind": 3, "open_merge_requests": 1,
                                "drifted": 1, "unreadable": 0, "incomplete": 1}
    assert report["templates"] == [
        {"template_repository": "other", "newest": "v3.0.0", "count": 1, "versions": [{"version": "v3.0.0", "count": 1}]},
        {"template_repository": "tpl", "newest": "v1.10.0", "count": 5, "versions": [
            {"version": "v1.2.0", "count": 2}, {"version": "v1.9.0", "count": 1}, {"version": "v1.10.0", "count": 2}]},
    ]
    assert [b["name"] for b in report["behind"]] == ["a", "d", "e"]
    assert report["open_merge_requests"] == [{"name": "d", "id": fleet[3]["id"], "merge_request_id": None,
                                              "url": "https://git/mr/1"}]
    # d's diff is its pending merge request and f's its incomplete change: only e was changed by hand
    assert report["drifted"] == [{"name": "e", "id": fleet[4]["id"], "lines": 2}]
    assert [(f["name"], f["kind"]) for f in report["failures"]] == [("f", "incomplete")]
    assert name_of(fleet[2]) == "c/svc"


def test_the_version_given_is_the_newest():
    report = foxops_fleet_report([inc("a", "v1.0.0"), inc("b", "v2.0.0")], version="v3.0.0")
    assert report["templates"][0]["newest"] == "v3.0.0" and [b["name"] for b in report["behind"]] == ["a", "b"]


def test_registered_results_of_a_loop_give_the_unreadable_ones():
    results = [
        {"item": {"id": 1, "incarnation_repository": "a"}, "incarnations": [inc("a", "v1.0.0")], "changed": False},
        {"item": {"id": 2, "incarnation_repository": "b", "target_directory": "x"}, "failed": True,
         "msg": "GET .../diff returned 500: Repository does not exist"},
        {"item": {"id": 3, "incarnation_repository": "c"}, "incarnations": []},
    ]
    report = foxops_fleet_report(results)
    assert report["total"] == 3 and report["counts"]["unreadable"] == 2
    assert report["failures"][0] == {"name": "b/x", "id": 2, "kind": "unreadable",
                                     "msg": "GET .../diff returned 500: Repository does not exist"}
    assert report["failures"][1]["msg"] == "no such incarnation"


def test_an_empty_fleet_and_bad_input():
    assert foxops_fleet_report([])["counts"]["incarnations"] == 0
    with pytest.raises(AnsibleFilterError, match="must be a list"):
        foxops_fleet_report({"a": 1})
    with pytest.raises(AnsibleFilterError, match="must be a dict"):
        foxops_fleet_report(["a"])
