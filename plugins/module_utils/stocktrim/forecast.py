# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""StockTrim's forecast and order plan: starting the calculation (an action) and reading the plan (info).

``POST /api/RunForecastCalculations`` starts a calculation each time it is received: sent once, never again
once the server may have received it.  ``POST /api/OrderPlan`` is a query with its filter in the body: it
changes nothing, so it is retried like a read.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import WORKERS_SPEC, check_workers
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Action, Info
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import NotFoundError, RequestTimeoutError
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import ChoiceField, DateField, Field, Model, PercentField, show_number
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient, as_list
from ansible_collections.apiops.platforms.plugins.module_utils.core.waiting import check_wait, wait_for, wait_spec

CURRENT_STATUSES = ["Current", "Discontinued", "All"]
PAGE_SIZE = 50

PROCESSING_STATUS = Model(
    Field("id", type="int", readonly=True),
    Field("is_processing", type="bool", readonly=True),
    PercentField("percentage_complete", type="int", readonly=True),
    Field("status_message", readonly=True),
)

ORDER_PLAN_FILTERS = Model(
    Field("exclude_manufactured", type="bool"),
    ChoiceField("current_status", choices=CURRENT_STATUSES),
    Field("location_id", type="int"),
    Field("location"),
    Field("customer_id", type="int"),
    Field("customer"),
    Field("supplier_id", type="int"),
    Field("supplier"),
    Field("category"),
    Field("search_string"),
    Field("sort_order"),
)


def _readonly(spec):
    fields = []
    for item in spec.split():
        name, _sep, kind = item.partition(":")
        api = None
        if "=" in name:
            name, api = name.split("=", 1)
        fields.append(DateField(name, api=api, readonly=True) if kind == "date"
                      else Field(name, api=api, type=kind or "str", readonly=True))
    return fields


# The order plan's rows (SkuOptimizedResultsDto), every field in snake_case.
ORDER_PLAN_RESULT = Model(*_readonly("""
    id:int sku_property_id:int sku_id:int location_id:int channel_id:int sku_grouping_id:int
    sku_optimized_results_group_id:int tenant_id calculated_date_time:date effective_to_date_time:date
    reorder_point:float order_quantity:float lead_demand:float forecast_period_demand:float
    overridden_future_demand_effective_from_now:float safety_stock_level:float economic_order_quantity:float
    optimial_stock_cycle:float lead_time_days:int reorder_frequency_days:int order_count:int
    latest_order_date:date first_purchase_date:date minimum_order_quantity:int batch_size:int
    stock_on_hand:float stock_on_order:float finished_good_stock_on_hand:float
    finished_good_stock_on_order:float finished_good_quantity_used:float component_stock_on_hand:float
    days_until_replenishment_due:int days_until_stock_out:int is_uncertain:bool
    orders_in_previous_lead_time:float avg_daily_orders_last120_days=avgDailyOrdersLast120Days:float
    lead_demand_prediction_based_on_average:float lead_demand_prediction_based_on_linear_regression:float
    lead_demand_prediction_based_on_2nd_order_polynomial_regression=leadDemandPredictionBasedOn2ndOrderPolynomialRegression:float
    lead_demand_prediction_based_on_last_month:float
    lead_demand_prediction_based_on_previous_leadtime_days:float standard_dev:float service_factor:float
    max_r_squared=maxRSquared:float min_r_squared=minRSquared:float max_range:float parent_quantity:float
    most_accurate_algorithm_type_id:int error_text category sub_category brand product_type option1 option2
    option3 size product_code name sku_cost:float sku_price:float is_discontinued:bool is_unstocked:bool
    product_of_count:int component_of_count:int customer_count:int location_count:int location_name
    show_forecast_for_all_locations:bool manufacturing_time:float minimum_shelf_level:float
    maximum_shelf_level:float service_level:float weight:float height:float width:float length:float
    dimensions_cubic_meters:float external_id sku_code external_id_parent sku_code_parent
    child_variants_count:int
"""))


# Fields of an order plan row that the server computes again on every read (the time of the reading).
ORDER_PLAN_COMPUTED = ("calculated_date_time", "effective_to_date_time")


def order_plan_row_key(row):
    """The identity of one row of the order plan: its product (and SKU) at its location.

    A row cannot be told by its whole content: StockTrim computes some fields again on every read (such as
    ``calculated_date_time``), so a page read twice (a server counting pages from 1 that answers page 0 as
    page 1) would not look like a repeat.  A row without a product code is told by every field but the
    computed ones.
    """
    if row.get("product_code") is not None:
        return json.dumps([row.get(name) for name in ("product_code", "sku_code", "location_id", "location_name",
                                                      "channel_id")], default=str)
    return json.dumps(dict((k, v) for k, v in row.items() if k not in ORDER_PLAN_COMPUTED), sort_keys=True, default=str)


# -- the calls ---------------------------------------------------------------------------------------------------
def processing_status(client):
    """``GET /api/ProcessingStatus``; ``is_processing`` filled in from the percentage when the server leaves it
    out (processing while below 100).  An answer that is not JSON is a failure (a TransportError with the
    status), never an empty status, which a wait would take as "finished"."""
    data = client.transport.request("GET", "/api/ProcessingStatus", idempotent=True).json()
    status = PROCESSING_STATUS.from_api(data if isinstance(data, dict) else {})
    if status["is_processing"] is None:
        status["is_processing"] = status["percentage_complete"] is not None and status["percentage_complete"] < 100
    return status


def run_forecast(client):
    """Start the forecast calculation: a trigger, sent once and never re-sent (201, any answer)."""
    client.write("POST", "/api/RunForecastCalculations", idempotent=False)


def wait_for_forecast(client, timeout, sleep, before=None, **clock):
    """Poll ``GET /api/ProcessingStatus`` until it is no longer processing; the last status.

    ``before`` is the status read before the start: a first reading identical to it that is not processing
    may mean that the server has not picked the calculation up yet, so it is read once more.  Still running
    when ``timeout`` is up: a timeout failure carrying the last status (``partial``).
    """
    readings = []

    def done(status):
        readings.append(status)
        stale = len(readings) == 1 and before is not None and status == before
        return not status["is_processing"] and not stale

    def timed_out(status):
        if not status["is_processing"]:
            return status
        err = RequestTimeoutError(
            "the forecast calculation was still running after %ss (%s%% complete%s); raise wait_timeout or check "
            "again later" % (show_number(timeout), status["percentage_complete"] or 0,
                             (": " + status["status_message"]) if status["status_message"] else ""),
            method="GET", url=client.transport.url_for("/api/ProcessingStatus"))
        err.partial = status
        raise err

    return wait_for(lambda: processing_status(client), done, timeout, sleep, timed_out=timed_out, **clock)


def order_plan(client, filters, workers=None):
    """Every row of the order plan for these filters (``POST /api/OrderPlan``, a query, all pages).

    The page travels in the body (``page`` from 0, ``perPage``).  The next page is asked for while the echoed
    ``filterCriteria.hasNextPage`` is true; when the server does not say, while pages are full.  The query
    changes nothing, so it is marked idempotent (retried after 429/502/503/504 and lost connections; a 500,
    such as the HTML error page StockTrim sometimes answers, is never retried).  ``workers`` (above 1) reads
    that many pages at once after the first (:func:`~paging.read_pages`).
    """
    body = ORDER_PLAN_FILTERS.to_api(filters)

    def fetch(page):
        query = dict(body, page=page, perPage=PAGE_SIZE)
        try:
            data = client.transport.request("POST", "/api/OrderPlan", json=query, idempotent=True).json()
        except NotFoundError:
            return [], False  # "nothing there", as the API's other reads say it
        rows = (data.get("results") or []) if isinstance(data, dict) else as_list(data)
        echo = data.get("filterCriteria") if isinstance(data, dict) else None
        more = echo.get("hasNextPage") if isinstance(echo, dict) else None
        return ([ORDER_PLAN_RESULT.from_api(row) for row in rows if isinstance(row, dict)],
                more if isinstance(more, bool) else None)

    return client.pages(fetch, order_plan_row_key, first=0, page_size=PAGE_SIZE, pool=workers)  # page from 0


# -- the specs ----------------------------------------------------------------------------------------------------
def _start(ctx, before):
    run_forecast(ctx.client)
    return True, None


def _follow(ctx, before, answer):
    p = ctx.params
    if p["wait"]:
        return wait_for_forecast(ctx.client, p["wait_timeout"], p["wait_sleep"], before=before)
    return processing_status(ctx.client)


FORECAST = Action(
    "status", StockTrimClient, options=wait_spec(), check=lambda ctx: check_wait(ctx.params),
    unpredicted="the processing status once the calculation has started",
    read=lambda ctx: processing_status(ctx.client), act=_start, follow=_follow,
)

ORDER_PLAN_INFO = Info("results", StockTrimClient, filters=ORDER_PLAN_FILTERS,
                       read=lambda ctx: order_plan(ctx.client, ORDER_PLAN_FILTERS.desired(ctx.params),
                                                   ctx.params.get("workers")),
                       options=WORKERS_SPEC, check=lambda ctx: check_workers(ctx.params))
