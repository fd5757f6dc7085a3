# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Route handlers of the StockTrim API sandbox: purchase orders and sales orders."""

from __future__ import annotations

from sandbox.stocktrim.replies import ApiError, Reply, json_reply, not_found, required_param, validation_problem
from sandbox.stocktrim.schemas import _ConversionError, convert, parse_dt, shape, stamp


class OrdersMixin:
    """The order routes of StockTrimApi (its stores and ``config``); run with the API's ``lock`` held."""

    # -- purchase orders --------------------------------------------------------------------------------------
    def find_purchase_order(self, reference):
        for order in self.purchase_orders.values():
            if reference in (order['referenceNumber'], order['clientReferenceNumber']):
                return order
        return None

    def _po_supplier(self, supplier):
        """Fill the PO supplier from the supplier list; unknown suppliers are created (orphans have no code)."""
        code, name = supplier.get('supplierCode'), supplier.get('supplierName')
        if not code and not name:
            return shape('PurchaseOrderSupplier', supplier)
        known = self.find_supplier(code=code) if code else self.find_supplier(name=name)
        if known is None:
            known = self.save_supplier({'supplierCode': code or None, 'supplierName': name})
        return {'supplierCode': known['supplierCode'], 'supplierName': name or known['supplierName']}

    def _save_purchase_order(self, body, record=None):
        shaped = shape('PurchaseOrderRequestDto', body)
        created = record is None
        if created:
            record = {'id': self.next_id('purchaseOrders'), 'message': None}
            record.update(shaped)
            record['createdDate'] = shaped['createdDate'] or stamp()
            record['orderDate'] = shaped['orderDate'] or stamp()
            record['status'] = shaped['status'] or 'Draft'
            record['referenceNumber'] = shaped['referenceNumber'] or 'PO-%05d' % record['id']
            self.purchase_orders[record['id']] = record
        else:
            record.update({key: shaped[key] for key in body})
        record['supplier'] = self._po_supplier(record['supplier'] or {})
        return record, created

    def post_purchase_order(self, call):
        body = call.body
        if 'orderDate' in body and body['orderDate'] is None:  # cannot be cleared once set; omit it to keep it
            raise ApiError(validation_problem({'OrderDate': ['The OrderDate field is required.']}))
        key = body.get('clientReferenceNumber')
        existing = None
        if key:
            existing = next((po for po in self.purchase_orders.values() if po['clientReferenceNumber'] == key), None)
        record, created = self._save_purchase_order(body, existing)
        return json_reply(201 if created else 200, record)

    def get_purchase_orders(self, call):
        if not self.config['purchase_orders_readable']:
            raise ApiError(not_found())
        reference = call.arg('referenceNumber')
        if reference is None:
            if not self.purchase_orders:
                raise ApiError(not_found())  # none at all: 404, not []
            return json_reply(200, list(self.purchase_orders.values()))
        order = self.find_purchase_order(reference)
        if order is None:
            raise ApiError(not_found())
        return json_reply(200, order)

    def delete_purchase_order(self, call):
        reference = call.arg('referenceNumber')
        if reference is None:
            raise required_param('referenceNumber')
        order = self.find_purchase_order(reference)
        if order is None:
            raise ApiError(not_found())
        del self.purchase_orders[order['id']]
        return Reply(204)

    def list_purchase_orders_v2(self, call):
        page = call.int_arg('page', 0, minimum=0)
        size = call.int_arg('pageSize', 10, minimum=1)
        status = call.arg('status')
        if status is not None:
            try:
                status = convert('enum:PurchaseOrderStatusDto', status, 'status')
            except _ConversionError:
                raise ApiError(validation_problem({'status': ["The value '%s' is not valid." % status]}))
        orders = [po for po in self.purchase_orders.values() if status is None or po['status'] == status]
        return json_reply(200, orders[page * size:(page + 1) * size])

    def get_purchase_order_v2(self, call):
        order = self.find_purchase_order(call.params['referenceNumber'])
        if order is None:
            raise ApiError(not_found())
        return json_reply(200, order)

    def generate_purchase_orders(self, call):
        """Draft POs from the order plan, one per supplier; every call creates new ones (not idempotent)."""
        criteria = call.body
        locations = criteria.get('locationCodes') or []
        suppliers = criteria.get('supplierCodes') or []
        groups = {}
        for product in self._plan_products(criteria.get('currentStatus') or 'Current', criteria.get('searchString')):
            supplier = product['supplierCode'] or next((s['supplierId'] for s in product['suppliers']), None)
            if suppliers and supplier not in suppliers:
                continue
            if locations and not any(loc['locationCode'] in locations for loc in product['stockLocations']):
                continue
            plan = self.forecast(product)
            if plan['orderQuantity'] > 0:
                groups.setdefault(supplier, []).append({'productId': product['productId'], 'quantity': plan['orderQuantity'],
                                                        'receivedDate': None, 'unitPrice': product['cost']})
        created = []
        location = {'locationCode': locations[0], 'locationName': None} if len(locations) == 1 else None
        for supplier, lines in groups.items():
            order = {'supplier': {'supplierCode': supplier}, 'purchaseOrderLineItems': lines, 'status': 'Draft', 'location': location}
            created.append(self._save_purchase_order(order)[0])
        return json_reply(200, created)

    # -- sales orders -----------------------------------------------------------------------------------------
    def _sale(self, line, header=None, record=None):
        data = dict(line)
        for key in ('locationCode', 'locationName', 'customerCode', 'customerName'):
            if data.get(key) is None and header:
                data[key] = header.get(key)
        if record is None:
            record = {'id': self.next_id('salesOrders'), 'locationId': 0}
            self.sales_orders[record['id']] = record
        record.update(shape('SalesOrderRequestDto', data))
        location = self.find_location(code=data.get('locationCode'), name=data.get('locationName'))
        record['locationId'] = location['id'] if location else 0
        return record

    def list_sales_orders(self, call):
        if not self.config['sales_orders_readable']:
            raise ApiError(not_found())  # production: 404 with or without productId
        product_id = call.arg('productId')
        return json_reply(200, [s for s in self.sales_orders.values() if product_id is None or s['productId'] == product_id])

    def post_sales_order(self, call):
        return json_reply(201, self._sale(call.body))

    def _bulk_lines(self, body):
        lines = body.get('saleOrderLineItems') or []
        if not lines:
            raise ApiError(validation_problem({'SaleOrderLineItems': ['At least one line item is required.']}))
        return lines

    def post_sales_orders_bulk(self, call):
        saved = [self._sale(line, call.body) for line in self._bulk_lines(call.body)]
        return json_reply(201, saved[0])

    def put_sales_orders_bulk(self, call):
        saved = []
        for line in self._bulk_lines(call.body):
            key = line.get('externalReferenceId')
            existing = next((s for s in self.sales_orders.values() if key and s['externalReferenceId'] == key), None)
            saved.append(self._sale(line, call.body, existing))
        return json_reply(201, saved[0])

    def _delete_sales(self, predicate):
        for sale_id in [sale_id for sale_id, sale in self.sales_orders.items() if predicate(sale)]:
            del self.sales_orders[sale_id]
        return Reply(200)

    def delete_sales_orders_for_product(self, call):
        product_id = call.arg('productId')
        if product_id is None:  # use /api/SalesOrders/All to delete everything
            raise required_param('productId')
        return self._delete_sales(lambda sale: sale['productId'] == product_id)

    def delete_all_sales_orders(self, call):
        return self._delete_sales(lambda sale: True)

    def delete_sales_orders_in_range(self, call):
        bounds = []
        for name in ('fromDate', 'toDate'):
            text = call.arg(name)
            if text is None:
                raise required_param(name)
            try:
                bounds.append(parse_dt(text))
            except ValueError:
                raise ApiError(validation_problem({name: ["The value '%s' is not valid." % text]}))
        product_id = call.arg('productId')
        return self._delete_sales(lambda sale: bounds[0] <= parse_dt(sale['orderDate']) <= bounds[1]
                                  and (product_id is None or sale['productId'] == product_id))

    def delete_sales_orders_for_location(self, call):
        key = call.arg('locationCodeOrName')
        if key is None:
            raise required_param('locationCodeOrName')
        return self._delete_sales(lambda sale: key in (sale['locationCode'], sale['locationName']))
