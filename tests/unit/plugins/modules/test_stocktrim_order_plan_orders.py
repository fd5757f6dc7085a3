# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Draft purchase orders from the order plan without a server: the filter's body and the rule that tells the
drafts a previous run generated."""

from __future__ import annotations

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import order_plan_orders as gen

DAY = "2026-03-31T00:00:00"


def order(**values):
    base = {"status": "Draft", "created_date": "2026-03-31T09:12:44.120", "client_reference_number": None,
            "reference_number": "PO-00001", "supplier": {"supplier_code": "ACME", "supplier_name": None},
            "location": None}
    base.update(values)
    return base


def test_the_body_carries_only_the_filters_given():
    assert gen.criteria({"search_string": None, "current_status": None, "location_codes": None,
                         "supplier_codes": None}) == {}
    assert gen.criteria({"search_string": "gear", "current_status": "All", "location_codes": ["MAIN"],
                         "supplier_codes": []}) == {"searchString": "gear", "currentStatus": "All",
                                                    "locationCodes": ["MAIN"]}


def test_a_draft_of_today_without_a_client_reference_counts():
    assert gen.generated_earlier({}, [order()], DAY) == [order()]
    assert gen.generated_earlier({}, [order(client_reference_number="PO-00001")], DAY) != []


def test_orders_of_another_day_status_or_written_by_reference_do_not_count():
    others = [order(created_date="2026-03-30T23:59:59"), order(status="Approved"), order(created_date=None),
              order(client_reference_number="MY-REF")]
    assert gen.generated_earlier({}, others, DAY) == []


def test_an_offset_date_is_read_in_utc():
    assert gen.generated_earlier({}, [order(created_date="2026-04-01T01:00:00+02:00")], DAY) != []


def test_suppliers_and_locations_given_must_match():
    params = {"supplier_codes": ["BOLT"], "location_codes": ["MAIN"]}
    assert gen.generated_earlier(params, [order()], DAY) == []
    bolt = order(supplier={"supplier_code": "BOLT"})
    assert gen.generated_earlier(params, [bolt], DAY) == [bolt]  # no location: generated for several
    elsewhere = order(supplier={"supplier_code": "BOLT"}, location={"location_code": "EAST"})
    assert gen.generated_earlier(params, [elsewhere], DAY) == []
    here = order(supplier={"supplier_code": "BOLT"}, location={"location_code": "MAIN"})
    assert gen.generated_earlier(params, [here], DAY) == [here]
