# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The StockTrim API sandbox, one module per concern (see ../README.md).

replies: HTTP answers and problem documents; schemas: request schemas, conversion and validation;
routing: the route table; catalogue, orders, planning: the route handlers; resources: the in-memory tenant;
faults: fault injection; server: the HTTP server and its control API; cli: the command line.
"""
