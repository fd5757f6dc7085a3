# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spec of ``foxops_request``: the Request kind (core/request.py) on the Foxops client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.request import Request
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import FoxopsClient

FOXOPS_REQUEST = Request("foxops_request", FoxopsClient, identity=("method", "path"))
