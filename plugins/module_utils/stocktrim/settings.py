# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""StockTrim tenant settings: the inventory management system it takes its data from, and configuration values.

* ``GET /api/InventoryManagementSystemSettings`` answers ``{name}``; ``POST`` the same path with ``{api}`` (one of
  the API's ``ApiEnum``) sets it (201, no body): a write of an absolute value, idempotent.
* ``GET /api/Configuration/{configurationName}`` answers ``{name}``, the value; configuration cannot be written.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Info, Resource
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import InputError
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import ChoiceField, Model
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient, path_part

# The API's ApiEnum: the inventory management systems StockTrim can take its data from.
SYSTEMS = [
    "Shopify", "Vend", "Unleashed", "TradeGecko", "Cin7", "Myob", "Quickbooks", "StockTrimIncomingApi", "Xero", "Dear",
    "CsvUpload", "Katana", "Odoo", "WooCommerce", "Finale", "AmazonFba", "Zoho", "BigCommerce", "SquareInventory",
    "Magento", "MrpEasy", "Fishbowl", "SkuVault", "InFlow", "Neto", "Sellercloud", "Acumatica", "AcumaticaErp", "All",
    "Master",
]

SETTINGS = Model(ChoiceField("api", choices=SYSTEMS, required=True))


def read_settings(client):
    """The tenant's settings: the inventory management system (``api``, read from the answer's ``name``)."""
    data = client.get_one("/api/InventoryManagementSystemSettings") or {}
    return SETTINGS.from_api({"api": data.get("name") if isinstance(data, dict) else None})


def write_settings(client, body):
    """POST InventoryManagementSystemSettings ``{api}``: sets an absolute value, so it may be sent again."""
    client.write("POST", "/api/InventoryManagementSystemSettings", SETTINGS.to_api(body), idempotent=True)


def read_configuration(client, name):
    """The value of one configuration (the answer's ``name``), or None when the tenant has none."""
    data = client.get_one("/api/Configuration/" + path_part(name))
    return data.get("name") if isinstance(data, dict) else None


SETTINGS_RESOURCE = Resource(
    "settings", StockTrimClient, SETTINGS, key="api",
    find=lambda ctx: read_settings(ctx.client),
    write=lambda ctx, body, current, predicted: write_settings(ctx.client, body),
    writes="replace",  # the settings are written whole: read again just before the write
    describe=lambda ctx: "the tenant's settings",
)


def _check_info(ctx):
    for index, name in enumerate(ctx.params["configuration_names"] or []):
        if not str(name).strip():
            raise InputError("configuration_names[%d] must not be empty" % index)


def _read_info(ctx):
    settings = read_settings(ctx.client)
    settings["configuration"] = dict((name, read_configuration(ctx.client, name))
                                     for name in ctx.params["configuration_names"] or [])
    return settings


SETTINGS_INFO = Info("settings", StockTrimClient, _read_info, check=_check_info,
                     options={"configuration_names": {"type": "list", "elements": "str"}})
