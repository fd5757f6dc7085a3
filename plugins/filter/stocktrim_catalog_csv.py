# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: stocktrim_catalog_csv
short_description: Turn a StockTrim catalogue export (CSV text) into the item lists of the StockTrim modules
version_added: 1.0.0
description:
  - Reads a catalogue kept as CSV, one product a row, and returns the lists that
    M(apiops.platforms.stocktrim_suppliers), M(apiops.platforms.stocktrim_products),
    M(apiops.platforms.stocktrim_inventories) and M(apiops.platforms.stocktrim_bom) take.
  - The header names the columns. Header names are compared without regard to case, spaces and punctuation,
    so C(Product Code), C(product-code) and C(product_code) are the same column. Each column is an option of
    M(apiops.platforms.stocktrim_product) (C(product_id), C(name), C(category), C(cost), C(price),
    C(lead_time), ...) or one of its common spellings (C(sku), C(code), C(cost_price), C(sell_price),
    C(barcode), C(moq), ...), or one of C(supplier_name), C(supplier_sku_code), C(stock_on_hand),
    C(stock_on_order), C(location_code), C(location_name) and C(components).
  - C(product_id) is required on every row, and a product may have only one row.
  - An empty cell is left out, so StockTrim keeps the value it has for it.
  - Numbers, whole numbers and booleans (V(true)/V(false), V(yes)/V(no), V(1)/V(0)) are converted; a
    C(service_level) may be written as a percentage (V(95%)).
  - Where the delimiter is not a comma (a V(;) or tab export, as spreadsheets write them in many European
    locales), a number may have a decimal comma (V(12,50)), with dots grouping the thousands before it
    (V(1.234,50)). In a comma-separated file a number has a decimal point; a comma in it is refused.
  - A row with more cells than the header is refused naming the line and the extra cells, even when they are
    empty, as its values would not be in the columns they were written for (an unquoted V(12,50) in a
    comma-separated file is two cells).
  - C(supplier_code) becomes the product's C(supplier_code), and each supplier code found gives one supplier
    (with C(supplier_name) when a row has one). A C(supplier_sku_code) makes
    C([{supplier_id, supplier_sku_code}]) the product's whole C(suppliers) list.
  - C(stock_on_hand) and C(stock_on_order) give a stock level of the product at the row's C(location_code),
    or at O(location_code) when the row has none; without any location they stay on the product as its
    overall levels.
  - C(components) lists the product's bill of materials as V(component:quantity) pairs separated by V(;) or
    V(|), such as V(FRAME-M:1; WHEEL-26:2) (a quantity left out is V(1)).
  - Bad input (an unknown column, a missing or repeated C(product_id), a value that is not a number, a row
    longer than the header) fails with a message naming the row and the column, before anything is sent.
positional: _input, location_code, location_name
options:
  _input:
    description: The CSV text, header row first. Values with the delimiter in them are quoted (V("Widget, blue")).
    type: str
    required: true
  location_code:
    description: The location of the stock levels of the rows that have no C(location_code) of their own.
    type: str
  location_name:
    description: The name of O(location_code), given with its stock levels.
    type: str
  delimiter:
    description:
      - The column delimiter. By default the one of V(,), V(;) and tab that the header row uses most.
      - With any delimiter but V(,), numbers may have a decimal comma.
    type: str
  ignore_columns:
    description:
      - Header names of columns to leave out (an export's own columns). Compared like the header names.
    type: list
    elements: str
    default: []
  ignore_unknown_columns:
    description:
      - Leave out every column that is not known, instead of failing.
    type: bool
    default: false
seealso:
  - plugin: apiops.platforms.stocktrim_catalog_merge
    plugin_type: filter
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Read the catalogue export
  ansible.builtin.set_fact:
    catalogue: "{{ lookup('ansible.builtin.file', 'files/catalog.csv') | apiops.platforms.stocktrim_catalog_csv('MAIN') }}"

- name: Keep the products
  apiops.platforms.stocktrim_products:
    products: "{{ catalogue.products }}"

# Product Code;Description;Cost Price;Supplier;Bin  (a semicolon export, decimal commas, a column of its own)
# WIDGET-1;Blue widget;12,50;ACME;B-12
- name: Read an ERP export, leaving its own columns out
  ansible.builtin.set_fact:
    catalogue: "{{ erp_export | apiops.platforms.stocktrim_catalog_csv(ignore_columns=['Bin', 'Notes']) }}"
"""

RETURN = r"""
_value:
  description: The catalogue, as the item lists of the StockTrim modules.
  type: dict
  contains:
    suppliers:
      description: One dict per supplier code, in the order first seen (C(supplier_code), C(supplier_name)).
      type: list
      elements: dict
    products:
      description: One dict per row, with the options of M(apiops.platforms.stocktrim_product) given.
      type: list
      elements: dict
    inventory:
      description: The stock levels (C(product_id), C(location_code), C(location_name), C(stock_on_hand), C(stock_on_order)).
      type: list
      elements: dict
    boms:
      description: The bill of materials lines (C(product_id), C(component_id), C(quantity)).
      type: list
      elements: dict
"""

import csv
import io
import math
import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

# The fields a row can give, with their type, and the spellings accepted for each (compared normalised).
_PRODUCT_FIELDS = {
    "product_id": ("str", ["product_code", "productid", "code", "sku", "item_code", "item", "product"]),
    "product_code_readable": ("str", ["readable_code", "product_code_readable"]),
    "name": ("str", ["product_name", "title", "item_name", "description"]),
    "category": ("str", ["product_category", "group"]),
    "sub_category": ("str", ["subcategory", "product_sub_category"]),
    "service_level": ("level", []),
    "lead_time": ("int", ["lead_time_days", "leadtime", "supplier_lead_time"]),
    "cost": ("float", ["cost_price", "unit_cost", "purchase_price", "buy_price"]),
    "price": ("float", ["sell_price", "selling_price", "sale_price", "sales_price", "unit_price", "retail_price"]),
    "supplier_code": ("str", ["supplier", "supplier_id", "default_supplier", "vendor", "vendor_code"]),
    "forecast_period": ("int", []),
    "manufacturing_time": ("int", ["manufacturing_time_days"]),
    "order_frequency": ("int", ["order_frequency_days"]),
    "minimum_order_quantity": ("float", ["moq", "min_order_quantity", "min_order_qty"]),
    "minimum_shelf_level": ("float", ["min_shelf_level", "min_stock"]),
    "maximum_shelf_level": ("float", ["max_shelf_level", "max_stock"]),
    "batch_size": ("float", ["pack_size"]),
    "barcode": ("str", ["ean", "upc", "gtin"]),
    "discontinued": ("bool", []),
    "unstocked": ("bool", []),
    "option1": ("str", ["option_1"]),
    "option2": ("str", ["option_2"]),
    "option3": ("str", ["option_3"]),
    "overridden_demand": ("float", []),
    "overridden_demand_period": ("int", []),
    "parent_id": ("str", ["parent_product_id", "parent_code"]),
    "variant_type": ("str", []),
    "variant": ("str", []),
    "ignore_seasonality": ("bool", []),
    "weight": ("float", []),
    "height": ("float", []),
    "width": ("float", []),
    "length": ("float", []),
}
_OTHER_FIELDS = {
    "supplier_name": ("str", ["vendor_name"]),
    "supplier_sku_code": ("str", ["supplier_sku", "supplier_product_code", "vendor_sku"]),
    "stock_on_hand": ("float", ["on_hand", "soh", "qty_on_hand", "quantity_on_hand", "stock"]),
    "stock_on_order": ("float", ["on_order", "qty_on_order", "quantity_on_order"]),
    "location_code": ("str", ["location", "warehouse", "warehouse_code", "store"]),
    "location_name": ("str", ["warehouse_name", "store_name"]),
    "components": ("components", ["bom", "bill_of_materials"]),
}
FIELDS = dict(_PRODUCT_FIELDS, **_OTHER_FIELDS)
_TRUE = ("true", "yes", "y", "1")
_FALSE = ("false", "no", "n", "0")


def normalise(header):
    """``Product Code`` -> ``product_code``: lower case, runs of other characters one underscore."""
    return re.sub(r"[^0-9a-z]+", "_", to_text(header).strip().lower()).strip("_")


def _aliases():
    names = {}
    for field, (_kind, spellings) in FIELDS.items():
        for spelling in [field] + spellings:
            names[normalise(spelling)] = field
    return names


ALIASES = _aliases()


# A decimal comma, with dots between groups of three digits before it: ``12,50``, ``,5``, ``1.234,50``.
_DECIMAL_COMMA = re.compile(r"^([+-]?(?:\d{1,3}(?:\.\d{3})+|\d*)),(\d+)(%?)$")


def _number(text, kind, where, decimal_comma=False):
    """The number of a cell. With ``decimal_comma`` (a file not separated by commas), a comma is the decimal
    separator (``12,50``), and dots before it group the thousands (``1.234,50``)."""
    value = text.replace(" ", "")
    if "," in value:
        found = _DECIMAL_COMMA.match(value) if decimal_comma else None
        if found is None:
            hint = "" if decimal_comma else " (a decimal comma is read only where the delimiter is not a comma)"
            raise AnsibleFilterError("%s: %r is not a number%s" % (where, text, hint))
        value = "%s.%s%s" % (found.group(1).replace(".", ""), found.group(2), found.group(3))
    try:
        if kind == "level" and value.endswith("%"):
            return float(value[:-1]) / 100
        number = float(value)
    except ValueError:
        raise AnsibleFilterError("%s: %r is not a number" % (where, text))
    if math.isnan(number) or math.isinf(number):
        raise AnsibleFilterError("%s: %r is not a number" % (where, text))
    if kind == "int":
        if number != int(number):
            raise AnsibleFilterError("%s: %r is not a whole number" % (where, text))
        return int(number)
    return number


def _components(text, where, decimal_comma=False):
    lines = []
    for part in re.split(r"[;|]", text):
        part = part.strip()
        if not part:
            continue
        component, sep, quantity = part.rpartition(":")
        if not sep:
            component, quantity = part, "1"
        component = component.strip()
        if not component:
            raise AnsibleFilterError("%s: %r has no component code" % (where, part))
        if component in [c for c, _q in lines]:
            raise AnsibleFilterError("%s: component %s is listed twice" % (where, component))
        lines.append((component, _number(quantity.strip() or "1", "float", where, decimal_comma)))
    return lines


def convert(text, kind, where, decimal_comma=False):
    """A cell's value as the type of its field; ``where`` names the row and column in errors; ``decimal_comma``
    reads ``12,50`` as 12.5 in the numbers (for files whose delimiter is not a comma)."""
    if kind == "str":
        return text
    if kind == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise AnsibleFilterError("%s: %r is not a boolean (true/false, yes/no, 1/0)" % (where, text))
    if kind == "components":
        return _components(text, where, decimal_comma)
    return _number(text, kind, where, decimal_comma)


def _columns(header, ignore, ignore_unknown):
    """The field of each column (None for a column left out), refusing unknown and repeated columns."""
    ignored = set(normalise(name) for name in ignore)
    fields, seen = [], {}
    for number, name in enumerate(header, 1):
        key = normalise(name)
        if not key or key in ignored:
            fields.append(None)
            continue
        field = ALIASES.get(key)
        if field is None:
            if ignore_unknown:
                fields.append(None)
                continue
            raise AnsibleFilterError(
                "column %d %r is not a catalogue column; known columns: %s (or give it in ignore_columns)"
                % (number, to_text(name).strip(), ", ".join(sorted(FIELDS))))
        if field in seen:
            raise AnsibleFilterError("columns %r and %r are both %s" % (seen[field], to_text(name).strip(), field))
        seen[field] = to_text(name).strip()
        fields.append(field)
    if "product_id" not in seen:
        raise AnsibleFilterError("the header has no product_id column (or product_code, sku, code): %r" % list(header))
    return fields


def _delimiter(first_line, delimiter):
    if delimiter:
        if len(delimiter) != 1:
            raise AnsibleFilterError("delimiter must be one character, not %r" % delimiter)
        return delimiter
    return max([",", ";", "\t"], key=first_line.count)


def stocktrim_catalog_csv(data, location_code=None, location_name=None, delimiter=None, ignore_columns=None,
                          ignore_unknown_columns=False):
    """The catalogue of the CSV text ``data`` as ``{suppliers, products, inventory, boms}``."""
    if not isinstance(data, str):
        raise AnsibleFilterError("stocktrim_catalog_csv expects the CSV text, not %s" % type(data).__name__)
    if ignore_columns is not None and not isinstance(ignore_columns, (list, tuple)):
        raise AnsibleFilterError("ignore_columns must be a list of column names")
    text = to_text(data).lstrip("\ufeff")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise AnsibleFilterError("the CSV text is empty: it needs a header row")
    separator = _delimiter(first, delimiter)
    decimal_comma = separator != ","
    rows = csv.reader(io.StringIO(text), delimiter=separator)
    header = None
    result = {"suppliers": [], "products": [], "inventory": [], "boms": []}
    suppliers, products = {}, {}
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = row
            fields = _columns(header, ignore_columns or [], ignore_unknown_columns)
            continue
        line = rows.line_num
        if len(row) > len(fields):
            raise AnsibleFilterError(_extra_cells(line, row, header, separator))
        values = {}
        for field, cell in zip(fields, row):
            cell = cell.strip()
            if field and cell:
                values[field] = convert(cell, FIELDS[field][0], "line %d, column %s" % (line, field), decimal_comma)
        product_id = values.get("product_id")
        if not product_id:
            raise AnsibleFilterError("line %d: product_id is empty" % line)
        if product_id in products:
            raise AnsibleFilterError("line %d: product_id %s is already on line %d (one row a product)"
                                     % (line, product_id, products[product_id]))
        products[product_id] = line
        _add_row(result, suppliers, values, line, location_code, location_name)
    if header is None:
        raise AnsibleFilterError("the CSV text is empty: it needs a header row")
    return result


def _extra_cells(line, row, header, separator):
    """The refusal of a row with more cells than the header, even empty ones: its values would not be in the
    columns they were written for (an unquoted ``12,50`` in a comma file makes ``12`` the cost and ``50`` the
    next column's value)."""
    extra = ", ".join("%d (%r)" % (number, to_text(cell)) for number, cell in enumerate(row[len(header):], len(header) + 1))
    return ("line %d has %d cells, the header %d: extra cell%s %s after the last column %r (a value with the "
            "delimiter %s in it must be quoted)"
            % (line, len(row), len(header), "s" if len(row) - len(header) > 1 else "", extra,
               to_text(header[-1]).strip(), "tab" if separator == "\t" else repr(separator)))


def _add_row(result, suppliers, values, line, location_code, location_name):
    product = dict((k, v) for k, v in values.items() if k in _PRODUCT_FIELDS)
    product_id = product["product_id"]
    code = values.get("supplier_code")
    if code:
        name = values.get("supplier_name")
        if code not in suppliers:
            suppliers[code] = ({"supplier_code": code}, line)
            result["suppliers"].append(suppliers[code][0])
        supplier, first_line = suppliers[code]
        if name:
            if supplier.get("supplier_name", name) != name:
                raise AnsibleFilterError("line %d: supplier %s is named %r here and %r on line %d"
                                         % (line, code, name, supplier["supplier_name"], first_line))
            if "supplier_name" not in supplier:
                supplier["supplier_name"] = name
                suppliers[code] = (supplier, line)
        if values.get("supplier_sku_code"):
            product["suppliers"] = [{"supplier_id": code, "supplier_sku_code": values["supplier_sku_code"]}]
    elif values.get("supplier_name") or values.get("supplier_sku_code"):
        raise AnsibleFilterError("line %d: supplier_name or supplier_sku_code without a supplier_code" % line)
    levels = dict((k, values[k]) for k in ("stock_on_hand", "stock_on_order") if k in values)
    location = values.get("location_code") or location_code
    if levels and location:
        level = {"product_id": product_id, "location_code": location}
        name = values.get("location_name") or (location_name if location == location_code else None)
        if name:
            level["location_name"] = name
        level.update(levels)
        result["inventory"].append(level)
    else:
        product.update(levels)
    result["products"].append(product)
    for component, quantity in values.get("components", []):
        result["boms"].append({"product_id": product_id, "component_id": component, "quantity": quantity})


class FilterModule(object):
    """The StockTrim catalogue CSV filter."""

    def filters(self):
        return {"stocktrim_catalog_csv": stocktrim_catalog_csv}
