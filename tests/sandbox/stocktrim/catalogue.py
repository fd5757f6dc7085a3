# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Route handlers of the StockTrim API sandbox: products, customers, suppliers, locations and inventory."""

from __future__ import annotations

from sandbox.stocktrim.replies import ApiError, Reply, json_reply, not_found, required_param, validation_problem
from sandbox.stocktrim.schemas import number, shape


class CatalogueMixin:
    """The catalogue routes of StockTrimApi (its stores and ``config``); run with the API's ``lock`` held."""

    # -- products ---------------------------------------------------------------------------------------------
    def get_products(self, call):
        code = call.arg('code')
        if code is not None:  # exact match on productId only; no match is a 404 with an empty body
            product = self.products.get(code)
            return json_reply(200, [product]) if product else Reply(404)
        page = call.int_arg('pageNo', 0)
        size = self.config['product_page_size']
        items = list(self.products.values())[page * size:(page + 1) * size] if page >= 0 else []
        return json_reply(200, items) if items else Reply(404)

    def post_product(self, call):
        body = call.body
        shaped = shape('ProductsRequestDto', body)
        existing = self.products.get(body['productId'])
        if existing is None:
            record = {'id': self.next_id('products')}
            record.update(shaped)
            self.products[record['productId']] = record
            return json_reply(201, record)
        for key in (shaped if self.config['product_update'] == 'replace' else body):
            existing[key] = shaped[key]
        return json_reply(200, existing)

    def delete_product(self, call):
        product_id = call.arg('productId')
        if product_id is None:  # never "delete everything"
            raise required_param('productId')
        if self.products.pop(product_id, None) is None:
            return Reply(404)
        return Reply(200)

    # -- customers --------------------------------------------------------------------------------------------
    def list_customers(self, call):
        return json_reply(200, list(self.customers.values()))

    def get_customer(self, call):
        customer = self.customers.get(call.params['code'])
        if customer is None:
            raise ApiError(not_found())
        return json_reply(200, customer)

    def put_customer(self, call):
        code = call.body.get('code')
        if not code:
            raise ApiError(validation_problem({'Code': ['The Code field is required.']}))
        record = self.customers.setdefault(code, shape('CustomerDto', {}))
        record.update({key: call.body[key] for key in call.body})
        return json_reply(200, [record])

    # -- suppliers --------------------------------------------------------------------------------------------
    def find_supplier(self, code=None, name=None):
        for supplier in self.suppliers.values():
            if code is not None and supplier['supplierCode'] == code:
                return supplier
        for supplier in self.suppliers.values():
            if code is None and name is not None and supplier['supplierName'] == name:
                return supplier
        return None

    def save_supplier(self, data):
        record = self.find_supplier(code=data.get('supplierCode'), name=None if data.get('supplierCode') else data.get('supplierName'))
        if record is None:
            record = {'id': self.next_id('suppliers')}
            record.update(shape('SupplierRequestDto', {}))
            self.suppliers[record['id']] = record
        record.update(data)
        return record

    def get_supplier(self, call):
        code = call.arg('code')
        supplier = self.find_supplier(code=code) if code is not None else None
        if supplier is None:  # without a code the service answers 404 too (use SuppliersBulk)
            raise ApiError(not_found())
        return json_reply(200, supplier)

    def list_suppliers(self, call):
        return json_reply(200, list(self.suppliers.values()))

    def post_suppliers(self, call):
        return json_reply(201, [self.save_supplier(item) for item in call.body])

    def delete_supplier(self, call):
        key = call.arg('supplierCodeOrName')
        if key is None:
            raise required_param('supplierCodeOrName')
        supplier = self.find_supplier(code=key) or self.find_supplier(name=key)
        if supplier is None:
            raise ApiError(not_found())
        del self.suppliers[supplier['id']]
        return Reply(201)

    # -- locations --------------------------------------------------------------------------------------------
    def find_location(self, code=None, name=None):
        for location in self.locations.values():
            if (code is not None and location['locationCode'] == code) or (name is not None and location['locationName'] == name):
                return location
        return None

    def get_locations(self, call):
        if not self.config['locations_readable']:
            raise ApiError(not_found())  # production: 404 with or without code
        code = call.arg('code')
        if code is None:
            return json_reply(200, list(self.locations.values()))
        location = self.find_location(code=code)
        if location is None:
            raise ApiError(not_found())
        return json_reply(200, location)

    def _save_location(self, body, by_name):
        record = self.find_location(code=body['locationCode'])
        if record is None and by_name and body.get('locationName'):
            record = self.find_location(name=body['locationName'])  # V1: a name hit updates that location
        if record is None:
            record = {'id': self.next_id('locations')}
            record.update(shape('LocationRequestDto', {}))
            self.locations[record['id']] = record
        record.update(body)
        return json_reply(201, record)

    def post_location(self, call):
        return self._save_location(call.body, by_name=True)

    def post_location_v2(self, call):
        return self._save_location(call.body, by_name=False)

    # -- inventory --------------------------------------------------------------------------------------------
    def post_inventory(self, call):
        items = call.body.get('inventory') or []
        errors = {}
        for index, item in enumerate(items):
            if not item.get('productId'):
                errors['Inventory[%d].ProductId' % index] = ['The ProductId field is required.']
            elif item['productId'] not in self.products:
                errors['Inventory[%d].ProductId' % index] = ["Product '%s' does not exist." % item['productId']]
        if errors:
            raise ApiError(validation_problem(errors))
        sum_on_hand = call.body.get('updateOverallAllOnHandToBeSumOfLocation') is True
        sum_on_order = call.body.get('updateOverallAllOnOrderToBeSumOfLocation') is True
        summed = []
        for item in items:
            product = self.products[item['productId']]
            on_hand, on_order = item.get('stockOnHand') or 0, item.get('stockOnOrder') or 0  # non-nullable: absent = 0
            code, name = item.get('locationCode'), item.get('locationName')
            if not code and not name:
                product['stockOnHand'], product['stockOnOrder'] = on_hand, on_order
                continue
            entry = next((loc for loc in product['stockLocations'] if (loc['locationCode'] == code if code else loc['locationName'] == name)), None)
            if entry is None:
                entry = {'locationCode': code or name, 'locationName': name, 'stockOnHand': None, 'stockOnOrder': None}
                product['stockLocations'].append(entry)
            if name:
                entry['locationName'] = name
            entry['stockOnHand'], entry['stockOnOrder'] = on_hand, on_order
            summed.append(product)
        for product in summed:
            if sum_on_hand:
                product['stockOnHand'] = number(float(sum(loc['stockOnHand'] or 0 for loc in product['stockLocations'])))
            if sum_on_order:
                product['stockOnOrder'] = number(float(sum(loc['stockOnOrder'] or 0 for loc in product['stockLocations'])))
        count = len({item['productId'] for item in items})
        return json_reply(200, {'id': 0, 'message': 'Inventory updated for %d product(s).' % count,
                                'supplier': {'supplierCode': None, 'supplierName': None}, 'purchaseOrderLineItems': []})
