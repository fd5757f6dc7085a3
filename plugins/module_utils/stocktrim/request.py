# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spec of ``stocktrim_request``: the Request kind (core/request.py) on the StockTrim client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.request import Request
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient

STOCKTRIM_REQUEST = Request("stocktrim_request", StockTrimClient, identity=("method", "path"))
