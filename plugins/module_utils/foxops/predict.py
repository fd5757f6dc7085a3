# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a Foxops incarnation will look like after a change: the desired state and check mode's prediction.

The user sets ``template_data`` (merged into the current data, or the whole data with purge); the server
computes ``template_data_full`` from it and the template's defaults.  A check run predicts both, and the
revision and merge request status the change leaves; what only the server decides (commit, merge request id
and url) is null.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import INCARNATION
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import subset

# Fields a write sets that cannot be known before it happens: null in a check run's prediction.
UNKNOWABLE = ("commit_sha", "commit_url", "merge_request_id", "merge_request_url", "template_repository_version_hash")


def same_value(left, right):
    """Exact equality, numbers by value (``1 == 1.0``) but never ``True == 1``."""
    return subset(left, right) and subset(right, left)


def wanted_data(current, given, purge):
    """The whole template data after the change: ``given`` merged into ``current``, or ``given`` alone with purge."""
    if given is None:
        return dict(current or {})
    if purge:
        return dict(given)
    data = dict(current or {})
    data.update(given)
    return data


def carries(incarnation, version, data):
    """True when the incarnation already has ``version`` and exactly ``data`` (what the user set)."""
    return incarnation.get("template_repository_version") == version and same_value(data, incarnation.get("template_data") or {})


def predict(current, version, data, mr_status, history=()):
    """The incarnation a change will produce, for check mode.

    ``mr_status`` is the merge request status the change leaves (``merged``, ``open``, or None for a direct
    change).  The revision goes up by one; what only the server decides (commit, merge request id and url)
    is null; ``template_data_full`` is predicted by :func:`predict_full` from the current one and, where the
    template fills in defaults, from what the incarnation's change ``history`` shows of them.
    """
    result = INCARNATION.merge(current, {})
    result.update(template_repository_version=version, template_data=dict(data),
                  template_data_full=predict_full(current, version, data, history),
                  revision=(current.get("revision") or 0) + 1, merge_request_status=mr_status,
                  status=current.get("status") or "success")
    for key in UNKNOWABLE:
        result[key] = None
    return result


def needs_history(current, version, data):
    """True when predicting ``template_data_full`` needs the template's defaults at ``version``.

    That is after a version change (the new version may fill in other defaults) and when a variable the user
    had set is dropped (``purge_template_data``): the template fills in its default then.
    """
    return version != current.get("template_repository_version") or any(
        key not in data for key in current.get("template_data") or {})


def template_defaults(current, version, history=()):
    """The values the template fills in at ``version`` for variables not set, as far as the server has shown them.

    Every change at that version (and the incarnation itself, when it is at that version) holds the full data:
    what it has beyond the data that change set is the template's defaults and the engine's own keys.
    """
    sources = [(current.get("template_repository_version"), current.get("template_data"), current.get("template_data_full"))]
    sources.extend((change.get("requested_version"), change.get("requested_data"), change.get("template_data_full"))
                   for change in history or ())
    defaults = {}
    for source_version, source_data, source_full in sources:
        if source_version != version or not isinstance(source_full, dict):
            continue
        for key, value in source_full.items():
            if key not in (source_data or {}) and key not in defaults:
                defaults[key] = value
    return defaults


def predict_full(current, version, data, history=()):
    """The ``template_data_full`` the server will compute for ``version`` and ``data`` (the whole data).

    The current full data with: a dropped variable set to the template's default (null when the server has
    not shown it yet), the defaults the template has at ``version``, the new data (strings the template reads
    as numbers or booleans converted as the server does), and the engine's keys at the new version.  Only a
    default the server has never shown (a variable a new version adds, or a dropped one) stays unknown.
    """
    full = dict(current.get("template_data_full") or {})
    for key in current.get("template_data") or {}:
        if key not in data:
            full[key] = None
    full.update(template_defaults(current, version, history))
    for key, value in data.items():
        full[key] = _as_template_reads(value, full.get(key))
    if "_fengine_template_repository_version" in full:
        full["_fengine_template_repository_version"] = version
    fengine = full.get("fengine")
    if isinstance(fengine, dict) and isinstance(fengine.get("template"), dict):
        full["fengine"] = dict(fengine, template=dict(fengine["template"], repository_version=version))
    return full


_TRUE, _FALSE = ("true", "t", "yes", "y", "on", "1"), ("false", "f", "no", "n", "off", "0")


def _as_template_reads(value, like):
    """``value`` as the template's variable reads it, told by the type of its current value ``like``.

    The server keeps ``template_data`` as given but converts ``template_data_full`` to the variables' types
    (``"30"`` for an integer becomes ``30``).
    """
    if isinstance(like, bool):
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)
    elif isinstance(like, int):
        if isinstance(value, str) and re.match(r"^\s*[+-]?\d+\s*$", value):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
    return value


def predict_created(p):
    """The incarnation a create will produce, for check mode (id and commit are not known before)."""
    result = INCARNATION.merge(None, {})
    result.update(incarnation_repository=p["incarnation_repository"], target_directory=p["target_directory"],
                  template_repository=p["template_repository"], template_repository_version=p["template_repository_version"],
                  template_data=dict(p.get("template_data") or {}), revision=1, status="success")
    return result
