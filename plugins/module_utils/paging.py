# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a paginated collection: the one paging rule of the collection.

A server may count pages from 0 or from 1, ignore the page number, say or not say whether there is a next
page, and use another page size than documented.  :func:`read_pages` reads every item once whichever of
these it does, and always ends.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.errors import ValidationError

MAX_PAGES = 10000  # a safety net against a server that never stops answering new items


def read_pages(fetch, key, page_size=None, max_pages=MAX_PAGES):
    """Every item of a paginated read, each once, in the order read.

    ``fetch(page)`` returns ``(items, more)`` for one page, ``more`` being what the server said of a next page
    (True, False, or None when it did not say); ``key(item)`` tells items apart.  ``page_size`` is the size
    asked for; None means the server decides, and the size is learnt from the first page.

    The read ends when the server says there is no next page; when it did not say, on a short page; in every
    case on a page with nothing new (a server that ignores the page number).  Pages counted from 1 are
    followed: a page 0 refused (400) starts again at 1; a page 1 that only repeats page 0 (page 0 read as
    the first page) is skipped once; and where the page size is not known, an empty page 0 is followed by
    one look at page 1.
    """
    found, seen = [], set()
    page, size, second_look = 0, page_size, False
    for _count in range(max_pages):
        try:
            items, more = fetch(page)
        except ValidationError:
            if page != 0 or found or second_look:
                raise
            page, second_look = 1, True
            continue
        fresh = []
        for item in items:
            mark = key(item)
            if mark not in seen:
                seen.add(mark)
                fresh.append(item)
        found.extend(fresh)
        if not fresh:
            look = (page == 0 and page_size is None) or (page == 1 and items)
            if look and not second_look and more is not False:
                page, second_look = page + 1, True
                continue
            break
        size = size or len(items)
        if more is False or (more is None and len(items) < size):
            break
        page += 1
    return found
