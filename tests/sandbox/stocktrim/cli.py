# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The command line of the StockTrim API sandbox (``python tests/sandbox/stocktrim_sandbox.py --help``)."""

from __future__ import annotations

import argparse
import os
import signal
import threading

from sandbox.stocktrim.resources import DEFAULT_CONFIG
from sandbox.stocktrim.server import StockTrimSandbox


def main(argv=None):
    parser = argparse.ArgumentParser(description='StockTrim API sandbox (serves until SIGTERM/SIGINT).')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0, help='0 = any free port')
    parser.add_argument('--auth-id', default=os.environ.get('STOCKTRIM_API_AUTH_ID'), help='expected api-auth-id')
    parser.add_argument('--auth-signature', default=os.environ.get('STOCKTRIM_API_AUTH_SIGNATURE'), help='expected api-auth-signature')
    parser.add_argument('--state-file', help='load the stores from this JSON file if it exists; save them after each change')
    parser.add_argument('--port-file', help='write the bound port to this file once listening')
    parser.add_argument('--verbose', action='store_true', help='log each request line to stderr')
    parser.add_argument('--locations-readable', action='store_true')
    parser.add_argument('--sales-orders-readable', action='store_true')
    parser.add_argument('--processing-polls', type=int, default=DEFAULT_CONFIG['processing_polls'])
    parser.add_argument('--auth-failure-status', type=int, default=DEFAULT_CONFIG['auth_failure_status'])
    parser.add_argument('--latency-ms', type=int, default=DEFAULT_CONFIG['latency_ms'],
                        help='every API request waits this many milliseconds before it is processed (a network stand-in)')
    args = parser.parse_args(argv)
    if not args.auth_id or not args.auth_signature:
        parser.error('--auth-id and --auth-signature are required (or STOCKTRIM_API_AUTH_ID and STOCKTRIM_API_AUTH_SIGNATURE)')
    sandbox = StockTrimSandbox(port=args.port, auth_id=args.auth_id, auth_signature=args.auth_signature, host=args.host,
                               state_file=args.state_file, verbose=args.verbose, locations_readable=args.locations_readable,
                               sales_orders_readable=args.sales_orders_readable, processing_polls=args.processing_polls,
                               auth_failure_status=args.auth_failure_status, latency_ms=args.latency_ms)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    sandbox.start()
    if args.port_file:
        temporary = args.port_file + '.tmp'
        with open(temporary, 'w', encoding='utf-8') as handle:
            handle.write('%d\n' % sandbox.port)
        os.replace(temporary, args.port_file)
    print('StockTrim sandbox listening on %s' % sandbox.url, flush=True)
    while not stop.wait(0.5):
        pass
    sandbox.stop()
    return 0
