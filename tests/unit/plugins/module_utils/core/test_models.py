# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The declarative model: conversions, the comparison rule, and check mode's prediction."""

from __future__ import annotations

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.core.models import Field, Model, camel_to_snake, snake_to_camel

LOCATION = [Field("location_code"), Field("location_name"), Field("stock_on_hand", type="float")]
PRODUCT = Model(
    Field("id", type="int", readonly=True),
    Field("product_id", required=True),
    Field("name"),
    Field("cost", type="float"),
    Field("discontinued", type="bool"),
    Field("stock_locations", type="list", fields=LOCATION, list_key="location_code"),
    Field("secret_note", no_log=True),
)


@pytest.mark.parametrize("camel,snake", [
    ("productId", "product_id"), ("productCodeReadable", "product_code_readable"),
    ("clientReferenceNumber", "client_reference_number"), ("option1", "option1"), ("id", "id"),
])
def test_names_round_trip(camel, snake):
    assert camel_to_snake(camel) == snake
    assert snake_to_camel(snake) == camel


def test_from_api_gives_every_field_typed():
    obj = PRODUCT.from_api({"id": "7", "productId": "A", "cost": 10, "stockLocations": None, "unknownField": 1})
    assert obj == {"id": 7, "product_id": "A", "name": None, "cost": 10.0, "discontinued": None,
                   "stock_locations": [], "secret_note": None}


def test_to_api_round_trip_skips_readonly_and_unset():
    given = {"product_id": "A", "cost": 2.5, "stock_locations": [{"location_code": "L1", "stock_on_hand": 3}], "id": 9}
    payload = PRODUCT.to_api(given)
    assert payload == {"productId": "A", "cost": 2.5, "stockLocations": [{"locationCode": "L1", "stockOnHand": 3}]}
    back = PRODUCT.from_api(payload)
    assert back["stock_locations"] == [{"location_code": "L1", "location_name": None, "stock_on_hand": 3.0}]


def test_argument_spec_has_options_not_readonly_fields():
    spec = PRODUCT.argument_spec()
    assert "id" not in spec
    assert spec["product_id"] == {"type": "str", "required": True}
    assert spec["stock_locations"]["elements"] == "dict"
    assert spec["secret_note"]["no_log"] is True


def test_differences_compares_only_what_was_given():
    current = PRODUCT.from_api({"id": 1, "productId": "A", "name": "Widget", "cost": 10.0})
    assert PRODUCT.differences(PRODUCT.desired({"product_id": "A", "cost": 10, "name": None}), current) == []
    assert PRODUCT.differences({"product_id": "A", "name": "Gadget"}, current) == ["name"]


def test_empty_string_equals_null():
    current = PRODUCT.from_api({"productId": "A", "name": None})
    assert PRODUCT.differences({"name": ""}, current) == []


def test_set_like_lists_ignore_order_and_unset_subfields():
    current = PRODUCT.from_api({"productId": "A", "stockLocations": [
        {"locationCode": "L1", "locationName": "One", "stockOnHand": 1},
        {"locationCode": "L2", "locationName": "Two", "stockOnHand": 2}]})
    same = {"stock_locations": [{"location_code": "L2", "stock_on_hand": 2}, {"location_code": "L1", "stock_on_hand": 1.0}]}
    assert PRODUCT.differences(same, current) == []
    fewer = {"stock_locations": [{"location_code": "L1"}]}
    assert PRODUCT.differences(fewer, current) == ["stock_locations"]
    changed = {"stock_locations": [{"location_code": "L1", "stock_on_hand": 5}, {"location_code": "L2"}]}
    assert PRODUCT.differences(changed, current) == ["stock_locations"]


def test_bools_are_not_numbers():
    current = PRODUCT.from_api({"productId": "A", "discontinued": False})
    assert PRODUCT.differences({"discontinued": False}, current) == []
    assert PRODUCT.differences({"discontinued": True}, current) == ["discontinued"]


def test_free_form_dict_compares_given_keys():
    model = Model(Field("template_data", type="dict"))
    current = {"template_data": {"name": "Jon", "age": 18}}
    assert model.differences({"template_data": {"age": 18}}, current) == []
    assert model.differences({"template_data": {"age": 19}}, current) == ["template_data"]
    assert model.differences({"template_data": {"age": True}}, {"template_data": {"age": 1}}) == ["template_data"]


def test_merge_predicts_the_written_object():
    current = PRODUCT.from_api({"id": 1, "productId": "A", "name": "Widget", "stockLocations": [
        {"locationCode": "L1", "locationName": "One", "stockOnHand": 1}]})
    predicted = PRODUCT.merge(current, {"name": "Gadget", "stock_locations": [{"location_code": "L1", "stock_on_hand": 4}]})
    assert predicted["id"] == 1 and predicted["name"] == "Gadget"
    assert predicted["stock_locations"] == [{"location_code": "L1", "location_name": "One", "stock_on_hand": 4.0}]
    created = PRODUCT.merge(None, {"product_id": "B", "cost": 3})
    assert created["id"] is None and created["cost"] == 3.0 and created["stock_locations"] == []
