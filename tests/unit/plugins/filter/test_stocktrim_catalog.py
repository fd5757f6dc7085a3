# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The catalogue filters: stocktrim_catalog_csv (CSV export -> item lists of the StockTrim modules) and
stocktrim_catalog_merge (catalogues merged item by item by key)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.apiops.platforms.plugins.filter import stocktrim_catalog_csv as csv_filter
from ansible_collections.apiops.platforms.plugins.filter.stocktrim_catalog_csv import stocktrim_catalog_csv
from ansible_collections.apiops.platforms.plugins.filter.stocktrim_catalog_merge import FilterModule as MergeFilters
from ansible_collections.apiops.platforms.plugins.filter.stocktrim_catalog_merge import stocktrim_catalog_merge
from ansible_collections.apiops.platforms.plugins.module_utils.core.items import validate_items
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import InputError
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.boms import BOM
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import INVENTORY, PRODUCT, SUPPLIER

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "files" / "catalog.csv"


def parse(text, **kwargs):
    return stocktrim_catalog_csv(text, **kwargs)


def test_the_filters_are_registered_under_their_names():
    assert csv_filter.FilterModule().filters() == {"stocktrim_catalog_csv": stocktrim_catalog_csv}
    assert MergeFilters().filters() == {"stocktrim_catalog_merge": stocktrim_catalog_merge}


def test_every_product_column_is_an_option_of_stocktrim_product():
    options = set(PRODUCT.argument_spec())
    assert set(csv_filter._PRODUCT_FIELDS) <= options
    assert not set(csv_filter._OTHER_FIELDS) & options - {"stock_on_hand", "stock_on_order"}


def test_a_row_becomes_a_product_with_typed_values_and_empty_cells_left_out():
    result = parse("product_id,name,category,cost,price,lead_time,discontinued,barcode\n"
                   "W-1,Blue widget,Widgets,2.50,4.99,14,false,0093\n"
                   "W-2,Red widget,,3,,7.0,YES,\n")
    assert result["products"] == [
        {"product_id": "W-1", "name": "Blue widget", "category": "Widgets", "cost": 2.5, "price": 4.99,
         "lead_time": 14, "discontinued": False, "barcode": "0093"},
        {"product_id": "W-2", "name": "Red widget", "cost": 3.0, "lead_time": 7, "discontinued": True},
    ]
    assert result["suppliers"] == result["inventory"] == result["boms"] == []
    assert isinstance(result["products"][1]["lead_time"], int)


@pytest.mark.parametrize("header, field", [
    ("Product Code", "product_id"), ("SKU", "product_id"), ("productId", "product_id"), ("item-code", "product_id"),
    ("Product Name", "name"), ("Cost Price", "cost"), ("Unit Cost", "cost"), ("Sell Price", "price"),
    ("Selling Price", "price"), ("Supplier", "supplier_code"), ("Vendor Code", "supplier_code"),
    ("Lead Time (days)", "lead_time"), ("Lead Time Days", "lead_time"), ("SOH", "stock_on_hand"),
    ("Qty On Hand", "stock_on_hand"), ("On Order", "stock_on_order"), ("MOQ", "minimum_order_quantity"),
    ("EAN", "barcode"), ("Sub-Category", "sub_category"), ("Warehouse", "location_code"), ("BOM", "components"),
    ("  supplier sku  ", "supplier_sku_code"), ("Option 1", "option1"),
])
def test_common_header_spellings(header, field):
    assert csv_filter.ALIASES[csv_filter.normalise(header)] == field


def test_semicolon_export_with_quotes_a_byte_order_mark_and_blank_lines():
    text = '\ufeffProduct Code;Name;Cost Price\n\n"A-1";"Widget; blue";"1.5"\n\nA-2;Plain;2\n'
    assert parse(text)["products"] == [{"product_id": "A-1", "name": "Widget; blue", "cost": 1.5},
                                       {"product_id": "A-2", "name": "Plain", "cost": 2.0}]
    assert parse("sku\tname\nA\tB\n")["products"] == [{"product_id": "A", "name": "B"}]
    assert parse("sku|name\nA|B\n", delimiter="|")["products"] == [{"product_id": "A", "name": "B"}]


def test_service_level_as_a_percentage_or_a_fraction():
    result = parse("sku,service_level\nA,95%\nB,0.9\n")
    assert [p["service_level"] for p in result["products"]] == [0.95, 0.9]


def test_suppliers_come_from_the_supplier_codes_with_their_names():
    result = parse("sku,supplier,supplier_name,supplier_sku\n"
                   "A,ACME,,\n"
                   "B,ACME,Acme Supplies,AC-B\n"
                   "C,BOLT,,\n"
                   "D,ACME,Acme Supplies,\n")
    assert result["suppliers"] == [{"supplier_code": "ACME", "supplier_name": "Acme Supplies"},
                                   {"supplier_code": "BOLT"}]
    assert result["products"][0] == {"product_id": "A", "supplier_code": "ACME"}
    assert result["products"][1] == {"product_id": "B", "supplier_code": "ACME",
                                     "suppliers": [{"supplier_id": "ACME", "supplier_sku_code": "AC-B"}]}


def test_a_supplier_named_two_ways_is_refused_naming_both_lines():
    with pytest.raises(AnsibleFilterError, match=r"line 3: supplier ACME is named 'Acme Ltd' here and 'Acme' on line 2"):
        parse("sku,supplier,supplier_name\nA,ACME,Acme\nB,ACME,Acme Ltd\n")


def test_a_supplier_name_without_a_code_is_refused():
    with pytest.raises(AnsibleFilterError, match="line 2: supplier_name or supplier_sku_code without a supplier_code"):
        parse("sku,supplier,supplier_name\nA,,Acme\n")


def test_stock_levels_go_to_the_row_location_the_default_location_or_the_product():
    text = "sku,on_hand,on_order,location,location_name\nA,5,1,,\nB,7,,SHOP,Shop\nC,,,,\n"
    with_default = parse(text, location_code="MAIN", location_name="Main warehouse")
    assert with_default["inventory"] == [
        {"product_id": "A", "location_code": "MAIN", "location_name": "Main warehouse", "stock_on_hand": 5.0,
         "stock_on_order": 1.0},
        {"product_id": "B", "location_code": "SHOP", "location_name": "Shop", "stock_on_hand": 7.0},
    ]
    assert with_default["products"] == [{"product_id": "A"}, {"product_id": "B"}, {"product_id": "C"}]
    without = parse(text)
    assert without["inventory"] == [{"product_id": "B", "location_code": "SHOP", "location_name": "Shop",
                                     "stock_on_hand": 7.0}]
    assert without["products"][0] == {"product_id": "A", "stock_on_hand": 5.0, "stock_on_order": 1.0}


def test_components_give_bill_of_materials_lines():
    result = parse('sku,components\nBIKE,"FRAME:1; WHEEL:2 | BELL"\nWHEEL,\n')
    assert result["boms"] == [
        {"product_id": "BIKE", "component_id": "FRAME", "quantity": 1.0},
        {"product_id": "BIKE", "component_id": "WHEEL", "quantity": 2.0},
        {"product_id": "BIKE", "component_id": "BELL", "quantity": 1.0},
    ]
    assert result["products"] == [{"product_id": "BIKE"}, {"product_id": "WHEEL"}]


@pytest.mark.parametrize("text, kwargs, message", [
    ("", {}, "the CSV text is empty"),
    ("\n \n", {}, "the CSV text is empty"),
    ("name,cost\nA,1\n", {}, "the header has no product_id column"),
    ("sku,colour\nA,blue\n", {}, r"column 2 'colour' is not a catalogue column"),
    ("sku,code\nA,B\n", {}, r"columns 'sku' and 'code' are both product_id"),
    ("sku,name\nA,x\n,y\n", {}, "line 3: product_id is empty"),
    ("sku,name\nA,x\nB,y\nA,z\n", {}, "line 4: product_id A is already on line 2"),
    ("sku,cost\nA,cheap\n", {}, r"line 2, column cost: 'cheap' is not a number"),
    ("sku,cost\nA,nan\n", {}, r"line 2, column cost: 'nan' is not a number"),
    ("sku,cost\nA,-inf\n", {}, r"line 2, column cost: '-inf' is not a number"),
    ("sku,lead_time\nA,2.5\n", {}, r"line 2, column lead_time: '2.5' is not a whole number"),
    ("sku,discontinued\nA,maybe\n", {}, r"line 2, column discontinued: 'maybe' is not a boolean"),
    ("sku,name\nA,Widget,blue\n", {}, "line 2 has 3 cells, the header 2"),
    ("sku,components\nB,A:1;A:2\n", {}, "line 2, column components: component A is listed twice"),
    ("sku,components\nB,:2\n", {}, "has no component code"),
    ("sku,components\nB,A:x\n", {}, r"'x' is not a number"),
    ("sku,name\nA,B\n", {"delimiter": ";;"}, "delimiter must be one character"),
    ("sku,name\nA,B\n", {"ignore_columns": "name"}, "ignore_columns must be a list"),
])
def test_bad_input_is_refused_naming_the_line_and_the_column(text, kwargs, message):
    with pytest.raises(AnsibleFilterError, match=message):
        parse(text, **kwargs)


def test_not_text_is_refused():
    with pytest.raises(AnsibleFilterError, match="expects the CSV text, not list"):
        parse(["sku"])


def test_columns_of_the_export_can_be_left_out():
    text = "SKU,Bin,Notes,Name\nA,B-12,fragile,Widget\n"
    assert parse(text, ignore_columns=["bin", "NOTES"])["products"] == [{"product_id": "A", "name": "Widget"}]
    assert parse(text, ignore_unknown_columns=True)["products"] == [{"product_id": "A", "name": "Widget"}]


def test_the_example_catalogue_is_valid_input_of_every_module():
    result = parse(EXAMPLE.read_text(), location_code="MAIN", location_name="Main warehouse")
    assert len(result["products"]) == 10
    assert [s["supplier_code"] for s in result["suppliers"]] == ["FRAMECO", "SPOKES", "BRIGHT"]
    assert len(result["inventory"]) == 10
    assert [(b["product_id"], b["component_id"], b["quantity"]) for b in result["boms"]] == [
        ("BIKE-CITY", "FRAME-M", 1.0), ("BIKE-CITY", "WHEEL-700C", 2.0), ("BIKE-CITY", "SADDLE-STD", 1.0)]
    assert "Bell, brass" in [p.get("name") for p in result["products"]]
    validate_items(SUPPLIER, result["suppliers"], "suppliers", "supplier_code")
    validate_items(PRODUCT, result["products"], "products", "product_id")
    validate_items(INVENTORY, result["inventory"], "inventory", ("product_id", "location_code"))
    validate_items(BOM, result["boms"], "boms", ("product_id", "component_id"))
    components = set(b["component_id"] for b in result["boms"])
    assert components <= set(p["product_id"] for p in result["products"])


def test_merge_adds_fields_to_items_of_the_same_key_and_keeps_the_order():
    csv_part = {"suppliers": [{"supplier_code": "A", "supplier_name": "Acme"}, {"supplier_code": "B"}],
                "products": [{"product_id": "P", "cost": 1.0}],
                "inventory": [{"product_id": "P", "location_code": "MAIN", "stock_on_hand": 1.0}],
                "boms": [{"product_id": "P", "component_id": "Q", "quantity": 1.0}]}
    yaml_part = {"suppliers": [{"supplier_code": "B", "email_address": "b@example.com"}, {"supplier_code": "C"}],
                 "products": [{"product_id": "Q", "name": "Part"}, {"product_id": "P", "cost": 2.0}],
                 "inventory": [{"product_id": "P", "location_code": "SHOP", "stock_on_hand": 3.0}],
                 "boms": [{"product_id": "P", "component_id": "Q", "quantity": 4.0}]}
    merged = stocktrim_catalog_merge(csv_part, yaml_part)
    assert merged == {
        "suppliers": [{"supplier_code": "A", "supplier_name": "Acme"},
                      {"supplier_code": "B", "email_address": "b@example.com"}, {"supplier_code": "C"}],
        "products": [{"product_id": "P", "cost": 2.0}, {"product_id": "Q", "name": "Part"}],
        "inventory": [{"product_id": "P", "location_code": "MAIN", "stock_on_hand": 1.0},
                      {"product_id": "P", "location_code": "SHOP", "stock_on_hand": 3.0}],
        "boms": [{"product_id": "P", "component_id": "Q", "quantity": 4.0}],
    }
    assert csv_part["suppliers"][1] == {"supplier_code": "B"}  # the inputs are not changed


def test_merge_of_nothing_gives_four_empty_lists():
    assert stocktrim_catalog_merge({}, None, {"products": None}) == {
        "suppliers": [], "products": [], "inventory": [], "boms": []}


@pytest.mark.parametrize("catalogues, message", [
    (([],), "catalogue 0 is not a dict of lists"),
    (({"customers": []},), "catalogue 0 has customers"),
    (({}, {"products": {"product_id": "A"}}), "products must be a list, not dict"),
    (({"products": ["A"]},), r"products\[0\] must be a dict"),
    (({"products": [{"name": "x"}]},), r"products\[0\]: product_id is required"),
    (({"inventory": [{"product_id": "A"}]},), r"inventory\[0\]: location_code is required"),
    (({"boms": [{"product_id": "A", "component_id": "B"}, {"product_id": "A", "component_id": "B"}]},),
     r"boms\[1\]: product_id and component_id A/B is given twice"),
])
def test_merge_refuses_bad_input_naming_the_list_and_index(catalogues, message):
    with pytest.raises(AnsibleFilterError, match=message):
        stocktrim_catalog_merge(*catalogues)


# -- a row longer than the header ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, message", [
    # an unquoted decimal comma in a comma file shifts every later value one column on: refused, not read shifted
    ("product_id,cost,price,supplier_code\nW1,12,5,9.99,\n",
     r"line 2 has 5 cells, the header 4: extra cell 5 \(''\) after the last column 'supplier_code'"),
    ("sku,name\nA,Widget,blue\n", r"line 2 has 3 cells, the header 2: extra cell 3 \('blue'\)"),
    ("sku;name\nA;B\nC;D;;\n", r"line 3 has 4 cells, the header 2: extra cells 3 \(''\), 4 \(''\)"),
])
def test_a_row_with_more_cells_than_the_header_is_refused_naming_the_line_and_the_extra_cell(text, message):
    with pytest.raises(AnsibleFilterError, match=message):
        parse(text)


def test_a_header_that_ends_in_the_delimiter_takes_rows_that_do_too():
    assert parse("sku,name,\nA,Widget,\n")["products"] == [{"product_id": "A", "name": "Widget"}]


# -- decimal commas ------------------------------------------------------------------------------------------------
def test_decimal_commas_are_read_where_the_delimiter_is_not_a_comma():
    text = ("Product Code;Cost Price;Sell Price;Service Level;Lead Time;Stock On Hand;Weight;Components\n"
            "A-1;12,50;1.234,5;95,5%;14;-2,5;0,75;\"B-1:1,5; B-2\"\n"
            "B-1;3.25;4;0,9;7,0;;,5;\n")
    result = parse(text)
    assert result["products"] == [
        {"product_id": "A-1", "cost": 12.5, "price": 1234.5, "service_level": 0.955, "lead_time": 14,
         "stock_on_hand": -2.5, "weight": 0.75},
        {"product_id": "B-1", "cost": 3.25, "price": 4.0, "service_level": 0.9, "lead_time": 7, "weight": 0.5},
    ]
    assert [(b["component_id"], b["quantity"]) for b in result["boms"]] == [("B-1", 1.5), ("B-2", 1.0)]
    assert parse("sku\tcost\nA\t12,50\n")["products"] == [{"product_id": "A", "cost": 12.5}]
    assert parse("sku|cost\nA|12,50\n", delimiter="|")["products"] == [{"product_id": "A", "cost": 12.5}]
    # text columns keep their commas
    assert parse("sku;name\nA;Bell, brass\n")["products"] == [{"product_id": "A", "name": "Bell, brass"}]


@pytest.mark.parametrize("text, kwargs, message", [
    # in a comma file a comma in a number is not a decimal comma (it may be a thousands separator)
    ('sku,cost\nA,"12,50"\n', {}, r"line 2, column cost: '12,50' is not a number \(a decimal comma is read only "
                                  r"where the delimiter is not a comma"),
    ("sku;cost\nA;1,2,3\n", {}, r"line 2, column cost: '1,2,3' is not a number"),
    ("sku;cost\nA;1.23,4\n", {}, r"line 2, column cost: '1.23,4' is not a number"),
    ("sku;cost\nA;12,\n", {}, r"line 2, column cost: '12,' is not a number"),
    ("sku;lead_time\nA;2,5\n", {}, r"line 2, column lead_time: '2,5' is not a whole number"),
    ("sku;components\nB;\"A:1,2,3\"\n", {}, r"line 2, column components: '1,2,3' is not a number"),
])
def test_numbers_with_commas_that_are_not_decimal_commas_are_refused(text, kwargs, message):
    with pytest.raises(AnsibleFilterError, match=message):
        parse(text, **kwargs)


# -- keys compared as the modules compare them ---------------------------------------------------------------------
def test_merge_matches_numeric_keys_from_yaml_with_the_text_keys_of_the_csv():
    from_csv = stocktrim_catalog_csv("sku,name,cost,supplier,location,on_hand,components\n"
                                     "1001,Bike,200,77,1,4,2002:2\n2002,Wheel,30,77,1,9,\n")
    from_yaml = {"suppliers": [{"supplier_code": 77, "email_address": "orders@example.com"}],
                 "products": [{"product_id": 1001, "price": 450}, {"product_id": 3003, "name": "Bell"}],
                 "inventory": [{"product_id": 2002, "location_code": 1, "stock_on_order": 5}],
                 "boms": [{"product_id": 1001, "component_id": 2002, "quantity": 1}]}
    merged = stocktrim_catalog_merge(from_csv, from_yaml)
    assert merged == {
        "suppliers": [{"supplier_code": "77", "email_address": "orders@example.com"}],
        "products": [{"product_id": "1001", "name": "Bike", "cost": 200.0, "supplier_code": "77", "price": 450},
                     {"product_id": "2002", "name": "Wheel", "cost": 30.0, "supplier_code": "77"},
                     {"product_id": "3003", "name": "Bell"}],
        "inventory": [{"product_id": "1001", "location_code": "1", "stock_on_hand": 4.0},
                      {"product_id": "2002", "location_code": "1", "stock_on_hand": 9.0, "stock_on_order": 5}],
        "boms": [{"product_id": "1001", "component_id": "2002", "quantity": 1}],
    }
    # what the modules are given is what they take, each key once
    validate_items(SUPPLIER, merged["suppliers"], "suppliers", "supplier_code")
    validate_items(PRODUCT, merged["products"], "products", "product_id")
    validate_items(INVENTORY, merged["inventory"], "inventory", ("product_id", "location_code"))
    validate_items(BOM, merged["boms"], "boms", ("product_id", "component_id"))


@pytest.mark.parametrize("first, second, same", [
    (1001, "1001", True), ("1001", 1001, True), (1001, 1001, True), ("A-1", "A-1", True),
    ("a-1", "A-1", False), ("01001", "1001", False), ("1001", "1001 ", False),
])
def test_merge_takes_two_product_ids_as_one_exactly_when_stocktrim_products_does(first, second, same):
    given = [{"product_id": first}, {"product_id": second}]
    try:
        validate_items(PRODUCT, given, "products", "product_id")
        module_same = False
    except InputError as err:  # the module refuses a product given twice
        assert "already given" in err.msg
        module_same = True
    assert module_same is same
    merged = stocktrim_catalog_merge({"products": given[:1]}, {"products": given[1:]})["products"]
    assert len(merged) == (1 if same else 2)
    if same:
        with pytest.raises(AnsibleFilterError, match=r"products\[1\]: product_id .* is given twice"):
            stocktrim_catalog_merge({"products": given})
    else:
        assert len(stocktrim_catalog_merge({"products": given})["products"]) == 2
