# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Route handlers of the StockTrim API sandbox: bills of materials, the order plan, forecasting and settings."""

from __future__ import annotations

import math

from sandbox.stocktrim.replies import ApiError, Reply, json_reply, not_found, required_param, validation_problem
from sandbox.stocktrim.schemas import _as_int, _round, now_naive, number, parse_dt, pascal, shape, stamp


class PlanningMixin:
    """The planning routes of StockTrimApi (its stores and ``config``); run with the API's ``lock`` held."""

    # -- bills of materials -----------------------------------------------------------------------------------
    def render_bom(self, line):
        return {'id': line['id'], 'assemblyTimeDays': line.get('assemblyTimeDays'),
                'skuComponent': self.products.get(line['componentId']), 'skuProduct': self.products.get(line['productId']),
                'productId': line['productId'], 'componentId': line['componentId'], 'quantity': line.get('quantity')}

    def get_boms(self, call):
        product_id, component_id = call.arg('productId'), call.arg('componentId')
        lines = [self.render_bom(line) for line in self.boms.values()
                 if product_id in (None, line['productId']) and component_id in (None, line['componentId'])]
        return json_reply(200, lines)  # the spec says 201 with one object; the sandbox answers 200 with a list

    def post_bom(self, call):
        body = call.body
        errors = {pascal(field): ["Product '%s' does not exist." % body[field]]
                  for field in ('productId', 'componentId') if body[field] not in self.products}
        if errors:
            raise ApiError(validation_problem(errors))
        key = (body['productId'], body['componentId'])
        line = self.boms.get(key)
        if line is None:
            line = self.boms[key] = {'id': self.next_id('billOfMaterials'), 'productId': key[0], 'componentId': key[1],
                                     'assemblyTimeDays': None}
        line['quantity'] = body.get('quantity')
        return json_reply(201, self.render_bom(line))

    def delete_bom(self, call):
        key = (call.arg('productId'), call.arg('componentId'))
        for name, value in zip(('productId', 'componentId'), key):
            if value is None:
                raise required_param(name)
        if self.boms.pop(key, None) is None:
            raise ApiError(not_found())
        return Reply(201)

    # -- order plan and forecasting ---------------------------------------------------------------------------
    def _plan_products(self, status, search):
        for product in self.products.values():
            if (status == 'Current' and product['discontinued']) or (status == 'Discontinued' and not product['discontinued']):
                continue
            texts = (product['productId'], product['productCodeReadable'], product['name'])
            if search and not any(search.lower() in (text or '').lower() for text in texts):
                continue
            yield product

    def forecast(self, product, location=None):
        """A small deterministic replenishment model (the real forecasting is not emulated)."""
        now = now_naive()
        sales = [s for s in self.sales_orders.values() if s['productId'] == product['productId']
                 and (location is None or location['locationCode'] in (s['locationCode'], None))]
        recent = [s for s in sales if (now - parse_dt(s['orderDate'])).days < 120]
        if product['overriddenDemand'] is not None and product['overriddenDemandPeriod']:
            daily = product['overriddenDemand'] / product['overriddenDemandPeriod']
        else:
            daily = sum(s['quantity'] for s in recent) / 120.0
        supplier = self.find_supplier(code=product['supplierCode']) if product['supplierCode'] else None
        lead = product['leadTime'] if product['leadTime'] is not None else (supplier or {}).get('defaultLeadTime') or 14
        frequency = product['orderFrequency'] or 30
        stock = location or product
        on_hand, on_order = stock['stockOnHand'] or 0, stock['stockOnOrder'] or 0
        safety = product['minimumShelfLevel'] or 0
        lead_demand, period_demand = daily * lead, daily * (product['forecastPeriod'] or frequency)
        reorder_point = lead_demand + safety
        quantity = 0.0
        if not product['discontinued'] and not product['unstocked']:
            quantity = max(0.0, reorder_point + period_demand - on_hand - on_order)
            if quantity > 0:
                quantity = max(quantity, product['minimumOrderQuantity'] or 0)
                if product['batchSize']:
                    quantity = math.ceil(quantity / product['batchSize']) * product['batchSize']
                quantity = math.ceil(quantity)
        dates = sorted(s['orderDate'] for s in sales)
        return {
            'daily': daily, 'lead': lead, 'frequency': frequency, 'onHand': on_hand, 'onOrder': on_order, 'sales': sales,
            'reorderPoint': _round(reorder_point), 'leadDemand': _round(lead_demand), 'periodDemand': _round(period_demand),
            'safety': safety, 'orderQuantity': number(float(quantity)), 'latest': dates[-1] if dates else None,
            'daysUntilStockOut': int(on_hand // daily) if daily > 0 else None,
            'daysUntilReplenishmentDue': max(0, int((on_hand + on_order - reorder_point) // daily)) if daily > 0 else None,
            'previousLeadTime': sum(s['quantity'] for s in recent if (now - parse_dt(s['orderDate'])).days < lead),
        }

    def sku_result(self, product, location):
        plan = self.forecast(product, location)
        location_record = self.find_location(code=location['locationCode']) if location else None
        return {
            'id': product['id'], 'skuId': product['id'], 'locationId': location_record['id'] if location_record else None,
            'tenantId': str(self.tenant), 'calculatedDateTime': self.calculated or stamp(), 'effectiveToDateTime': None,
            'reorderPoint': plan['reorderPoint'], 'orderQuantity': plan['orderQuantity'], 'leadDemand': plan['leadDemand'],
            'forecastPeriodDemand': plan['periodDemand'], 'safetyStockLevel': plan['safety'], 'leadTimeDays': plan['lead'],
            'reorderFrequencyDays': plan['frequency'], 'orderCount': len(plan['sales']), 'latestOrderDate': plan['latest'],
            'minimumOrderQuantity': _as_int(product['minimumOrderQuantity']), 'batchSize': _as_int(product['batchSize']),
            'stockOnHand': plan['onHand'], 'stockOnOrder': plan['onOrder'], 'daysUntilStockOut': plan['daysUntilStockOut'],
            'daysUntilReplenishmentDue': plan['daysUntilReplenishmentDue'], 'isUncertain': plan['daily'] == 0,
            'ordersInPreviousLeadTime': number(float(plan['previousLeadTime'])),
            'avgDailyOrdersLast120Days': _round(plan['daily'], 4), 'category': product['category'],
            'subCategory': product['subCategory'], 'option1': product['option1'], 'option2': product['option2'],
            'option3': product['option3'], 'productCode': product['productId'], 'name': product['name'],
            'skuCost': product['cost'], 'skuPrice': product['price'], 'isDiscontinued': bool(product['discontinued']),
            'isUnstocked': bool(product['unstocked']),
            'productOfCount': sum(1 for key in self.boms if key[0] == product['productId']),
            'componentOfCount': sum(1 for key in self.boms if key[1] == product['productId']),
            'customerCount': len({s['customerCode'] or s['customerName'] for s in plan['sales'] if s['customerCode'] or s['customerName']}),
            'locationCount': len(product['stockLocations']), 'locationName': location['locationName'] if location else None,
            'showForecastForAllLocations': location is None, 'manufacturingTime': product['manufacturingTime'],
            'minimumShelfLevel': product['minimumShelfLevel'], 'maximumShelfLevel': product['maximumShelfLevel'],
            'serviceLevel': product['serviceLevel'], 'weight': product['weight'], 'height': product['height'],
            'width': product['width'], 'length': product['length'], 'externalId': None, 'skuCode': product['productId'],
            'skuCodeParent': product['parentId'],
            'childVariantsCount': sum(1 for other in self.products.values() if other['parentId'] == product['productId']),
        }

    def query_order_plan(self, call):
        criteria = shape('OrderPlanFilterCriteria', call.body)
        where = criteria['location']
        if criteria['locationId'] is not None:
            where = (self.locations.get(criteria['locationId']) or {}).get('locationCode', '\0')
        supplier = criteria['supplier']
        if criteria['supplierId'] is not None:
            supplier = (self.suppliers.get(criteria['supplierId']) or {}).get('supplierCode', '\0')
        results = []
        for product in self._plan_products(criteria['currentStatus'] or 'Current', criteria['searchString']):
            if criteria['excludeManufactured'] and any(key[0] == product['productId'] for key in self.boms):
                continue
            if criteria['category'] and (product['category'] or '').lower() != criteria['category'].lower():
                continue
            codes = {product['supplierCode']} | {s['supplierId'] for s in product['suppliers']} | {s['supplierName'] for s in product['suppliers']}
            if supplier and supplier not in codes:
                continue
            customer = criteria['customer']
            if customer and not any(s['productId'] == product['productId'] and customer in (s['customerCode'], s['customerName'])
                                    for s in self.sales_orders.values()):
                continue
            location = None
            if where:
                location = next((loc for loc in product['stockLocations'] if where in (loc['locationCode'], loc['locationName'])), None)
                if location is None:
                    continue
            results.append(self.sku_result(product, location))
        per_page = criteria['perPage'] if criteria['perPage'] and criteria['perPage'] > 0 else 50
        page = max(criteria['page'] or 0, 0)
        criteria.update({'page': page, 'perPage': per_page, 'hasNextPage': len(results) > (page + 1) * per_page,
                         'currentStatus': None})  # the echo carries currentStatus null
        return json_reply(200, {'results': results[page * per_page:(page + 1) * per_page], 'filterCriteria': criteria})

    def run_forecast(self, call):
        self.forecast_runs += 1  # pylint: disable=no-member  # a store of StockTrimApi
        self.polls_total = self.polls_left = max(int(self.config['processing_polls']), 0)
        self.calculated = stamp()
        self.processing = {'id': 1, 'isProcessing': False, 'percentageComplete': 100, 'statusMessage': 'Forecast calculation complete'}
        return Reply(201)

    def get_processing_status(self, call):
        if self.polls_left > 0:
            done = self.polls_total - self.polls_left
            self.polls_left -= 1
            return json_reply(200, {'id': 1, 'isProcessing': True, 'percentageComplete': 100 * done // self.polls_total,
                                    'statusMessage': 'Calculating forecasts'})
        return json_reply(200, self.processing)

    def set_processing_status(self, call):
        echo = shape('ProcessingStatusRequestDto', call.body)
        echo['isProcessing'] = bool(echo['isProcessing'])
        echo['percentageComplete'] = echo['percentageComplete'] or 0
        self.processing = {'id': 1}
        self.processing.update(echo)
        self.polls_left = 0
        return json_reply(200, echo)

    def get_ims_settings(self, call):
        return json_reply(200, {'name': self.ims})

    def set_ims_settings(self, call):
        self.ims = call.body.get('api') or self.ims  # the sandbox keeps the setting when 'api' is missing
        return Reply(201)

    def get_configuration(self, call):
        return json_reply(200, {'name': self.configuration.get(call.params['configurationName'])})
