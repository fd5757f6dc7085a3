# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for the server: the one waiter of the collection.

Modules that wait take ``wait``, ``wait_timeout`` and ``wait_sleep`` (:data:`WAIT_SPEC`); the waiter polls on
a bounded clock and never sleeps past the deadline.  Check mode never waits: nothing was started to wait for.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import time

from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import InputError
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import show_number


def wait_spec(timeout=600, timeout_type="float"):
    """The shared wait options (``wait_timeout``'s type follows the module's documentation)."""
    return {
        "wait": {"type": "bool", "default": False},
        "wait_timeout": {"type": timeout_type, "default": timeout},
        "wait_sleep": {"type": "float", "default": 5},
    }


def check_wait(params, zero_timeout=False):
    """Refuse a wait that cannot be kept, naming the option (``zero_timeout``: 0 seconds means "look once")."""
    timeout, sleep = params.get("wait_timeout"), params.get("wait_sleep")
    if timeout is not None and (not math.isfinite(timeout) or (timeout < 0 if zero_timeout else timeout <= 0)):
        raise InputError("wait_timeout must be %s number of seconds, got %s"
                         % ("0 or a positive" if zero_timeout else "a positive", show_number(timeout)))
    if sleep is not None and (not math.isfinite(sleep) or sleep <= 0):
        raise InputError("wait_sleep must be a positive number of seconds, got %s" % show_number(sleep))


def wait_for(read, done, timeout, sleep, first=None, timed_out=None, clock=time.monotonic, pause=time.sleep):
    """Poll ``read()`` until ``done(value)``; return that value.

    ``first`` is a value already read (no read is sent for it).  Between readings the waiter sleeps
    ``sleep`` seconds, never past ``timeout`` seconds from the start; when the time is up,
    ``timed_out(value)`` decides with the last value: it raises the failure, or returns a value to end with.
    """
    deadline = clock() + timeout
    value = read() if first is None else first
    while not done(value):
        left = deadline - clock()
        if left <= 0:
            return timed_out(value) if timed_out else value
        pause(min(sleep, left))
        value = read()
    return value
