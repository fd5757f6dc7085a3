# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stateful StockTrim API sandbox on 127.0.0.1, for the collection's integration tests and demo.

It answers every route of the StockTrim API the way the real service is documented to, quirks
included, keeps its data in memory, and has a control API under ``/_sandbox/`` for fault injection, request
counting, configuration and state.  Standard library only.  See README.md next to this file.

The code lives in the ``stocktrim`` package next to this file; this module re-exports its public names
and runs it as a program.

    sandbox = StockTrimSandbox(port=0, auth_id="tenant", auth_signature="secret")
    sandbox.start(); sandbox.url; sandbox.stop()        # or: with StockTrimSandbox(...) as sandbox: ...

    python stocktrim_sandbox.py --port 0 --auth-id X --auth-signature Y [--state-file F] [--port-file F]
"""

from __future__ import annotations

import os
import sys

if not __package__:  # run as a program, tests/sandbox is on sys.path: the package is imported from tests/
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# pylint: disable=wrong-import-position
from sandbox.stocktrim.cli import main
from sandbox.stocktrim.faults import fault_reply, make_fault
from sandbox.stocktrim.replies import (JSON_CONTENT, PROBLEM_CONTENT, ApiError, Reply, json_reply, not_found, problem, required_param,
                                       trace_id, validation_problem)
from sandbox.stocktrim.resources import DEFAULT_CONFIG, StockTrimApi
from sandbox.stocktrim.routing import ROUTES, Call, Route, Router
from sandbox.stocktrim.schemas import (ENUMS, MINIMUMS, SCHEMAS, convert, deserialize, format_dt, is_json_media_type, now_naive, number,
                                       parse_dt, pascal, read_body, shape, stamp, validate)
from sandbox.stocktrim.server import StockTrimSandbox

__all__ = [
    'ApiError', 'Call', 'DEFAULT_CONFIG', 'ENUMS', 'JSON_CONTENT', 'MINIMUMS', 'PROBLEM_CONTENT', 'ROUTES', 'Reply', 'Route', 'Router',
    'SCHEMAS', 'StockTrimApi', 'StockTrimSandbox', 'convert', 'deserialize', 'fault_reply', 'format_dt', 'is_json_media_type',
    'json_reply', 'main', 'make_fault', 'not_found', 'now_naive', 'number', 'parse_dt', 'pascal', 'problem', 'read_body',
    'required_param', 'shape', 'stamp', 'trace_id', 'validate', 'validation_problem',
]

if __name__ == '__main__':
    sys.exit(main())
