# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault injection of the StockTrim API sandbox: fault descriptions and the answers they make."""

from __future__ import annotations

import fnmatch
import threading

from sandbox.stocktrim.replies import _HTML_ERROR, Reply

_FAULT_FIELDS = {'method': (str, type(None)), 'path': str, 'status': (int, type(None)), 'retry_after': (str, int, type(None)),
                 'times': int, 'delay': (int, float), 'drop': bool, 'after_processing': bool, 'body': (str, type(None)),
                 'html': bool, 'content_type': (str, type(None))}


def make_fault(spec, fault_id):
    """Validate a fault description (see README) and return it in canonical form."""
    if not isinstance(spec, dict):
        raise ValueError('a fault is a JSON object')
    unknown = set(spec) - set(_FAULT_FIELDS)
    if unknown:
        raise ValueError('unknown fault field(s): %s' % ', '.join(sorted(unknown)))
    for name, value in spec.items():
        if not isinstance(value, _FAULT_FIELDS[name]) or (isinstance(value, bool) and _FAULT_FIELDS[name] is not bool):
            raise ValueError('fault field %r has the wrong type' % name)
    fault = {'id': fault_id, 'method': (spec.get('method') or '*').upper(), 'path': spec.get('path'), 'status': spec.get('status'),
             'retry_after': None if spec.get('retry_after') is None else str(spec['retry_after']), 'times': spec.get('times', 1),
             'delay': float(spec.get('delay', 0)), 'drop': spec.get('drop', False), 'after_processing': spec.get('after_processing', False),
             'body': spec.get('body'), 'html': spec.get('html', False), 'content_type': spec.get('content_type'), 'hits': 0}
    if not fault['path'] or not fault['path'].startswith('/'):
        raise ValueError("fault 'path' must start with / (query ignored, case-insensitive, * and ? wildcards allowed)")
    if fault['status'] is not None and not 100 <= fault['status'] <= 599:
        raise ValueError("fault 'status' must be an HTTP status")
    if fault['times'] == 0 or fault['times'] < -1:
        raise ValueError("fault 'times' must be >= 1, or -1 for every request")
    if fault['delay'] < 0:
        raise ValueError("fault 'delay' must be >= 0")
    if fault['status'] is None and not fault['drop'] and not fault['delay']:
        raise ValueError("a fault needs 'status', 'drop' or 'delay'")
    return fault


def fault_reply(fault):
    body = fault['body']
    content_type = fault['content_type']
    if body is None and fault['html']:
        body = _HTML_ERROR
    if content_type is None and body is not None:
        content_type = 'text/html; charset=utf-8' if fault['html'] else 'text/plain; charset=utf-8'
    headers = {'Retry-After': fault['retry_after']} if fault['retry_after'] is not None else {}
    return Reply(fault['status'], (body or '').encode('utf-8'), content_type, headers)


def take_fault(faults, method, path):
    """The first pending fault of ``faults`` matching ``method`` and ``path`` (a copy), counting the hit and
    removing it from the list once its ``times`` are used up; None when none matches.  The caller holds its lock."""
    path = path.lower().rstrip('/') or '/'
    for fault in faults:
        if fault['method'] in ('*', method) and fnmatch.fnmatchcase(path, fault['path'].lower().rstrip('/') or '/'):
            fault['hits'] += 1
            if fault['times'] > 0:
                fault['times'] -= 1
                if fault['times'] == 0:
                    faults.remove(fault)
            return dict(fault)
    return None


class FaultLog:
    """Pending faults and a log of the requests served, behind one lock (``_meta_lock``): the part of the
    control API the sandbox and the Foxops fault proxy (tests/harness/fault_proxy.py) share.  A server class
    mixes it in and calls ``_init_fault_log()`` in its constructor."""

    def _init_fault_log(self):
        self._faults = []
        self._fault_ids = 0
        self._requests = []
        self._meta_lock = threading.Lock()

    def add_fault(self, spec=None, **fields):
        """Queue a fault for the next matching requests; see README for the fields.  Returns the fault."""
        with self._meta_lock:
            self._fault_ids += 1
            fault = make_fault(dict(spec or {}, **fields), self._fault_ids)
            self._faults.append(fault)
            return dict(fault)

    def clear_faults(self):
        with self._meta_lock:
            self._faults = []

    def faults(self):
        with self._meta_lock:
            return [dict(fault) for fault in self._faults]

    def requests(self):
        with self._meta_lock:
            return [dict(entry) for entry in self._requests]

    def clear_requests(self):
        with self._meta_lock:
            self._requests = []

    def _take_fault(self, method, path):
        with self._meta_lock:
            return take_fault(self._faults, method, path)

    def _log_request(self, entry):
        with self._meta_lock:
            self._requests.append(entry)
