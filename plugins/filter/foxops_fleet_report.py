# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: foxops_fleet_report
short_description: The numbers of a Foxops fleet report, from the incarnations read
version_added: 2.0.0
description:
  - Sorts a fleet of Foxops incarnations into what the role C(apiops.platforms.foxops_fleet_report) shows - the spread
    of template versions per template, the incarnations behind the newest version, the open merge requests, the
    incarnations whose files were changed by hand, and the failures.
  - The input is a list of incarnations as M(apiops.platforms.foxops_incarnation_info) returns them (with C(details)
    and C(diff)), or the C(results) of a loop of that module registered, where a failed item is an incarnation that
    could not be read.
  - An incarnation counts as changed by hand when Foxops' diff of its files is not empty and it has no open merge
    request and no incomplete change (then the diff also holds the change pending).
  - The newest version of a template is the highest version in use, in semantic-version order (a leading V(v) and
    a pre-release are understood; a version that is not semantic sorts below every one that is), or O(version).
positional: _input
options:
  _input:
    description: The incarnations, or the registered results of a loop of M(apiops.platforms.foxops_incarnation_info).
    type: list
    elements: dict
    required: true
  version:
    description: The version every incarnation should be on; empty for the highest version in use per template.
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Sort the fleet read into the report's numbers
  ansible.builtin.set_fact:
    fleet: "{{ reads.results | apiops.platforms.foxops_fleet_report(version='v2.0.0') }}"
"""

RETURN = r"""
_value:
  description:
    - C(total) (incarnations, read or not), C(templates) (per template - C(template_repository), C(newest), C(count),
      C(versions) - each C(version) and C(count), oldest first), C(behind), C(open_merge_requests), C(drifted) and
      C(failures) (lists of incarnations by C(name)), and C(counts) (the length of each list).
    - A failure has C(kind) - V(unreadable) (it could not be read) or V(incomplete) (its last change was left
      incomplete) - and C(msg).
  type: dict
"""

import re

from ansible.errors import AnsibleFilterError

INCOMPLETE = "unknown"  # the status Foxops gives an incarnation whose latest change was never completed
SEMVER = re.compile(r"^[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def version_key(version):
    """Sort key of a version in semantic-version order; one that is not semantic sorts first, by its text."""
    text = "" if version is None else str(version)
    match = SEMVER.match(text.strip())
    if not match:
        return (0, (), 0, (), text)
    numbers = tuple(int(part or 0) for part in match.group(1, 2, 3))
    pre = match.group(4)
    # a release sorts after its pre-releases; pre-release parts compare numerically where they are numbers
    pre_key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")) if pre else ()
    return (1, numbers, 0 if pre else 1, pre_key, text)


def name_of(incarnation):
    """The incarnation's name: its repository, and its directory when it is not the root."""
    repository = incarnation.get("incarnation_repository") or "incarnation %s" % incarnation.get("id")
    directory = incarnation.get("target_directory")
    return repository if directory in (None, "", ".") else "%s/%s" % (repository, directory)


def _changed_lines(diff):
    return sum(1 for line in str(diff).splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---")))


def _entries(data):
    """``(incarnations, unreadable)`` of the input: plain incarnations, or the registered results of a loop."""
    if not isinstance(data, list):
        raise AnsibleFilterError("foxops_fleet_report: the input must be a list, got %s" % type(data).__name__)
    incarnations, unreadable = [], []
    for entry in data:
        if not isinstance(entry, dict):
            raise AnsibleFilterError("foxops_fleet_report: each incarnation must be a dict, got %r" % (entry,))
        if "item" not in entry and "incarnations" not in entry:
            incarnations.append(entry)
            continue
        item = entry.get("item") if isinstance(entry.get("item"), dict) else {}
        if entry.get("failed") or not entry.get("incarnations"):
            reason = entry.get("msg") or "no such incarnation"
            unreadable.append({"name": name_of(item), "id": item.get("id"), "kind": "unreadable", "msg": str(reason)})
            continue
        incarnations.extend(entry["incarnations"])
    return incarnations, unreadable


def foxops_fleet_report(data, version=""):
    incarnations, failures = _entries(data)
    incarnations = sorted(incarnations, key=name_of)
    by_template = {}
    for inc in incarnations:
        by_template.setdefault(inc.get("template_repository") or "(unknown template)", []).append(inc)
    templates, behind, open_mrs, drifted = [], [], [], []
    for template in sorted(by_template):
        members = by_template[template]
        versions = sorted(set(inc.get("template_repository_version") or "" for inc in members), key=version_key)
        newest = version or (versions[-1] if versions else "")
        templates.append({
            "template_repository": template, "newest": newest, "count": len(members),
            "versions": [{"version": v, "count": sum(1 for inc in members
                                                     if (inc.get("template_repository_version") or "") == v)}
                         for v in versions],
        })
        for inc in members:
            if version_key(inc.get("template_repository_version")) < version_key(newest):
                behind.append({"name": name_of(inc), "id": inc.get("id"), "template_repository": template,
                               "version": inc.get("template_repository_version"), "newest": newest})
    for inc in incarnations:
        if inc.get("merge_request_status") == "open":
            open_mrs.append({"name": name_of(inc), "id": inc.get("id"), "merge_request_id": inc.get("merge_request_id"),
                             "url": inc.get("merge_request_url")})
        # with an open merge request or an incomplete change, Foxops' diff holds the pending change as well (the
        # files are compared with the last change requested): not counted as changed by hand
        pending = inc.get("merge_request_status") == "open" or inc.get("status") == INCOMPLETE
        if inc.get("diff") and not pending:
            drifted.append({"name": name_of(inc), "id": inc.get("id"), "lines": _changed_lines(inc["diff"])})
        if inc.get("status") == INCOMPLETE:
            failures.append({"name": name_of(inc), "id": inc.get("id"), "kind": "incomplete",
                             "msg": "its last change was left incomplete (foxops_incarnation_repair completes it)"})
    failures.sort(key=lambda f: (f["name"], f["kind"]))
    report = {"total": len(incarnations) + sum(1 for f in failures if f["kind"] == "unreadable"),
              "templates": templates, "behind": behind, "open_merge_requests": open_mrs, "drifted": drifted,
              "failures": failures}
    report["counts"] = {
        "incarnations": report["total"], "templates": len(templates), "behind": len(behind),
        "open_merge_requests": len(open_mrs), "drifted": len(drifted),
        "unreadable": sum(1 for f in failures if f["kind"] == "unreadable"),
        "incomplete": sum(1 for f in failures if f["kind"] == "incomplete"),
    }
    return report


class FilterModule(object):
    """The Foxops fleet report filter."""

    def filters(self):
        return {"foxops_fleet_report": foxops_fleet_report}
