# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dates as the APIs read and write them: ISO 8601, compared as points in time, returned in one form."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)


def parse_datetime(value):
    """An ISO 8601 date or date-time (as StockTrim reads and writes them) to a naive UTC datetime.

    StockTrim answers without a time zone (``2025-10-30T22:21:33.307``); a value with an offset is
    converted to UTC.  Returns None when ``value`` is not such a date.
    """
    if isinstance(value, datetime.datetime):
        parsed = value
    elif isinstance(value, datetime.date):
        parsed = datetime.datetime(value.year, value.month, value.day)
    else:
        match = _DATE.match(str(value).strip())
        if not match:
            return None
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        micro = int((fraction or "0").ljust(6, "0")[:6])
        try:
            parsed = datetime.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                                       int(second or 0), micro)
        except ValueError:
            return None
        if zone and zone.upper() != "Z":
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            parsed = parsed - sign * offset
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return parsed


def today():
    """Today's date (UTC) at midnight, in the form dates are returned in."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return "%04d-%02d-%02dT00:00:00" % (now.year, now.month, now.day)


def format_datetime(value):
    """The one form dates are returned in: ``YYYY-MM-DDTHH:MM:SS`` (with milliseconds when there are some)."""
    parsed = parse_datetime(value)
    if parsed is None:
        return value
    text = parsed.strftime("%Y-%m-%dT%H:%M:%S")
    if parsed.microsecond:
        text += (".%03d" % (parsed.microsecond // 1000)) if parsed.microsecond % 1000 == 0 else (".%06d" % parsed.microsecond)
    return text
