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

from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ValidationError

MAX_PAGES = 10000  # a safety net against a server that never stops answering new items


def read_pages(fetch, key, page_size=None, max_pages=MAX_PAGES, pool=None):
    """Every item of a paginated read, each once, in the order read.

    ``fetch(page)`` returns ``(items, more)`` for one page, ``more`` being what the server said of a next page
    (True, False, or None when it did not say); ``key(item)`` tells items apart.  ``page_size`` is the size
    asked for; None means the server decides, and the size is learnt from the first page.

    The read ends when the server says there is no next page; when it did not say, on a short page; in every
    case on a page with nothing new (a server that ignores the page number).  Pages counted from 1 are
    followed: a page 0 refused (400) starts again at 1; a page 1 that only repeats page 0 (page 0 read as
    the first page) is skipped once; and where the page size is not known, an empty page 0 is followed by
    one look at page 1.

    ``pool`` (the ``workers`` of a module; None or 1: one page after the other) reads ahead: once a full page
    has been read, the next pages are fetched ``pool`` at a time while the answers are taken in page order by
    the same rules, so the items, their order and the errors raised are those of the sequential read.  The
    price is requests past the end: up to ``pool - 1`` pages after the one the read ends on may have been
    asked for (their answers, errors included, are dropped).
    """
    if pool is None or pool <= 1:
        return _read(fetch, key, page_size, max_pages)
    reader = _ReadAhead(fetch, pool)
    try:
        return _read(reader.get, key, page_size, max_pages, reader.full)
    finally:
        reader.close()


def _read(fetch, key, page_size, max_pages, full=None):
    """The paging rule; ``full(page)`` is told of each full page after which the read goes on."""
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
        if full is not None:
            full(page)
        page += 1
    return found


class _ReadAhead:
    """``get(page)`` answers like ``fetch(page)``; after ``full(page)`` the next ``workers`` pages are in flight.

    The paging rule asks for pages in order (0, 1, 2, ...), so reading ahead is a window of futures over the
    next page numbers; an answer is taken once, in order, and a fetch raises when its answer is taken.
    """

    def __init__(self, fetch, workers):
        from concurrent.futures import ThreadPoolExecutor
        self.fetch = fetch
        self.workers = workers
        self.executor = ThreadPoolExecutor(max_workers=workers)
        self.futures = {}
        self.ahead = False

    def full(self, _page):
        self.ahead = True

    def get(self, page):
        if self.ahead:
            for number in range(page, page + self.workers):
                if number not in self.futures:
                    self.futures[number] = self.executor.submit(self.fetch, number)
        future = self.futures.pop(page, None)
        if future is None:
            return self.fetch(page)
        return future.result()

    def close(self):
        for future in self.futures.values():
            future.cancel()  # not started yet: never sent
        self.executor.shutdown(wait=True)
