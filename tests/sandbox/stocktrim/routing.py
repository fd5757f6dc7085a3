# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The route table of the StockTrim API sandbox, route matching and what a route handler gets."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote

from sandbox.stocktrim.replies import ApiError, validation_problem


# (method, path template, handler method of StockTrimApi, request body kind or None)
ROUTES = (
    ('GET', '/api/Products', 'get_products', None),
    ('POST', '/api/Products', 'post_product', 'obj:ProductsRequestDto'),
    ('DELETE', '/api/Products', 'delete_product', None),
    ('GET', '/api/Customers', 'list_customers', None),
    ('PUT', '/api/Customers', 'put_customer', 'obj:CustomerDto'),
    ('GET', '/api/Customers/{code}', 'get_customer', None),
    ('GET', '/api/Suppliers', 'get_supplier', None),
    ('POST', '/api/Suppliers', 'post_suppliers', 'list:SupplierRequestDto'),
    ('DELETE', '/api/Suppliers', 'delete_supplier', None),
    ('GET', '/api/SuppliersBulk', 'list_suppliers', None),
    ('GET', '/api/Locations', 'get_locations', None),
    ('POST', '/api/Locations', 'post_location', 'obj:LocationRequestDto'),
    ('POST', '/api/V2/Locations', 'post_location_v2', 'obj:LocationRequestDto'),
    ('POST', '/api/Inventory', 'post_inventory', 'obj:SetInventoryRequest'),
    ('GET', '/api/PurchaseOrders', 'get_purchase_orders', None),
    ('POST', '/api/PurchaseOrders', 'post_purchase_order', 'obj:PurchaseOrderRequestDto'),
    ('DELETE', '/api/PurchaseOrders', 'delete_purchase_order', None),
    ('GET', '/api/V2/PurchaseOrders', 'list_purchase_orders_v2', None),
    ('GET', '/api/V2/PurchaseOrders/{referenceNumber}', 'get_purchase_order_v2', None),
    ('POST', '/api/V2/PurchaseOrders/OrderPlan', 'generate_purchase_orders', 'obj:OrderPlanFilterCriteriaDto'),
    ('GET', '/api/SalesOrders', 'list_sales_orders', None),
    ('POST', '/api/SalesOrders', 'post_sales_order', 'obj:SalesOrderRequestDto'),
    ('DELETE', '/api/SalesOrders', 'delete_sales_orders_for_product', None),
    ('DELETE', '/api/SalesOrders/All', 'delete_all_sales_orders', None),
    ('DELETE', '/api/SalesOrders/Range', 'delete_sales_orders_in_range', None),
    ('POST', '/api/SalesOrdersBulk', 'post_sales_orders_bulk', 'obj:SalesOrderWithLineItemsRequestDto'),
    ('PUT', '/api/SalesOrdersBulk', 'put_sales_orders_bulk', 'obj:SalesOrderWithLineItemsRequestDto'),
    ('DELETE', '/api/SalesOrdersLocation', 'delete_sales_orders_for_location', None),
    ('GET', '/api/boms', 'get_boms', None),
    ('POST', '/api/boms', 'post_bom', 'obj:BillOfMaterialsRequestDto'),
    ('DELETE', '/api/boms', 'delete_bom', None),
    ('POST', '/api/OrderPlan', 'query_order_plan', 'obj:OrderPlanFilterCriteria'),
    ('POST', '/api/RunForecastCalculations', 'run_forecast', None),
    ('GET', '/api/ProcessingStatus', 'get_processing_status', None),
    ('POST', '/api/ProcessingStatus', 'set_processing_status', 'obj:ProcessingStatusRequestDto'),
    ('GET', '/api/InventoryManagementSystemSettings', 'get_ims_settings', None),
    ('POST', '/api/InventoryManagementSystemSettings', 'set_ims_settings', 'obj:InventoryManagementSystemRequest'),
    ('GET', '/api/Configuration/{configurationName}', 'get_configuration', None),
)


class Route:
    def __init__(self, method, template, handler, body):
        self.method = method
        self.template = template
        self.handler = handler
        self.body = body
        pattern = re.sub(r'\\{(\w+)\\}', r'(?P<\1>[^/]+)', re.escape(template))
        self.regex = re.compile('^%s/?$' % pattern, re.IGNORECASE)  # the service's routes are case-insensitive


class Router:
    def __init__(self, routes):
        self.routes = [Route(*route) for route in routes]

    def match(self, method, path):
        """(route, path params, allowed methods); route is None when nothing matches the method."""
        allowed = []
        for route in self.routes:
            found = route.regex.match(path)
            if found:
                if route.method == method:
                    return route, {key: unquote(value) for key, value in found.groupdict().items()}, []
                allowed.append(route.method)
        return None, {}, allowed


class Call:
    """What a route handler gets: path params, query (names case-insensitive, empty = absent) and the body."""

    def __init__(self, params, query, body):
        self.params = params
        self.query = {}
        for key, value in parse_qsl(query, keep_blank_values=True):
            self.query.setdefault(key.lower(), value if value != '' else None)
        self.body = body

    def arg(self, name):
        return self.query.get(name.lower())

    def int_arg(self, name, default, minimum=None):
        text = self.arg(name)
        if text is None:
            return default
        try:
            value = int(text.strip())
        except ValueError:
            raise ApiError(validation_problem({name: ["The value '%s' is not valid." % text]}))
        if minimum is not None and value < minimum:
            raise ApiError(validation_problem({name: ['The field %s must be between %d and 2147483647.' % (name, minimum)]}))
        return value
