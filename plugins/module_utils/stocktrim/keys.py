# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How StockTrim keys compare: the one rule, for the client and for the controller-side catalogue filters.

It imports nothing, so a filter that compares keys on the controller does not load the HTTP stack with it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def key_of(item, name):
    """A key as compared: ``10`` and ``"10"`` are the same key; a missing key is None."""
    value = item.get(name)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)
