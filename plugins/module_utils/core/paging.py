# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a paginated collection: the one paging rule of the collection.

A listing returns every item or fails; it never returns, or lets a module plan writes from, part of a list.
Each paged call declares where its pages start (``first``): nothing is guessed from an error.  A server may
cap a page below the size asked for, say or not say whether there is a next page, and ignore the page number:
:func:`read_pages` reads every item once whichever of these it does, and fails rather than stopping early.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ServerError

MAX_PAGES = 10000  # a safety net against a server that never stops answering new items: reaching it fails


def read_pages(fetch, key, first, page_size=None, max_pages=MAX_PAGES, pool=None):
    """Every item of a paginated read, each once, in the order read.

    ``fetch(page)`` returns ``(items, more)`` for one page, ``more`` being what the server said of a next page
    (True, False, or None when it did not say); ``key(item)`` tells items apart; ``first`` is the number of the
    first page, as the API call declares it (0 or 1).  ``page_size`` is the size asked for, if any.

    The read ends when the server says there is no next page; when it did not say, on an empty page or on a
    page shorter than one this read already received, never on a page shorter than the size asked for (a
    server may cap pages lower); in every case on a page with nothing new (a server that ignores the page
    number, seen when one more page repeats it again).  An error on any page, the first included, fails the
    read, and so does reaching ``max_pages``.

    ``pool`` (the ``workers`` of a module; None or 1: one page after the other) reads ahead: once a full page
    has been read, the next pages are fetched several at a time while the answers are taken in page order by
    the same rules, so the items, their order and the errors raised are those of the sequential read.  The
    window grows with the read: as many pages as were already read (2 at first, ``pool`` at most), so what is
    in flight at most doubles what was read.  The price is requests past the end, in proportion to the read:
    at most ``min(pages read, pool - 1)`` pages after the one the read ends on may have been asked for (their
    answers, errors included, are dropped); a read of ``n`` pages sends at most ``n + min(n - 1, pool - 1)``.
    """
    if first not in (0, 1):
        raise ValueError("a paged call declares its first page, 0 or 1, got %r" % (first,))
    if pool is None or pool <= 1:
        return _read(fetch, key, first, max_pages)
    reader = _ReadAhead(fetch, pool)
    try:
        return _read(reader.get, key, first, max_pages, reader.full)
    finally:
        reader.close()


def _read(fetch, key, first, max_pages, full=None):
    """The paging rule; ``full(page)`` is told of each full page after which the read goes on."""
    found, seen = [], set()
    page, largest, looked, previous = first, 0, False, None
    for _count in range(max_pages):
        items, more = fetch(page)
        marks = [key(item) for item in items]
        fresh = []
        for mark, item in zip(marks, items):
            if mark not in seen:
                seen.add(mark)
                fresh.append(item)
        found.extend(fresh)
        if not fresh and items and marks == previous and not looked and more is not False:
            # the page repeats the one before it whole: a server that ignores the page number (the next page
            # repeats it again), or one that served the first page twice (the next page has new items). One
            # more page tells them apart, by a read, not by a guess.
            looked, page = True, page + 1
            continue
        if not fresh or more is False or (more is None and len(items) < largest):
            return found
        largest, previous = max(largest, len(items)), marks
        if full is not None:
            full(page)
        page += 1
    raise ServerError("the listing did not end after %d pages (%d items read): it is not taken for the whole list"
                      % (max_pages, len(found)))


class _ReadAhead:
    """``get(page)`` answers like ``fetch(page)``; after ``full(page)`` the next pages are in flight, as many as
    the pages already taken (at least 2, at most ``workers``).

    The paging rule asks for pages in order (0, 1, 2, ...), so reading ahead is a window of futures over the
    next page numbers; an answer is taken once, in order, and a fetch raises when its answer is taken.  The
    window of the page the read ends on reaches furthest, ``window - 1`` pages past it, and that window is the
    number of pages taken before it (or 2): so the pages asked for past the end are never more than were read.
    """

    def __init__(self, fetch, workers):
        from concurrent.futures import ThreadPoolExecutor
        self.fetch = fetch
        self.workers = workers
        self.executor = ThreadPoolExecutor(max_workers=workers)
        self.futures = {}
        self.ahead = False
        self.taken = 0  # answers taken so far: the pages read

    def full(self, _page):
        self.ahead = True

    def get(self, page):
        if self.ahead:
            window = min(self.workers, max(2, self.taken))
            for number in range(page, page + window):
                if number not in self.futures:
                    self.futures[number] = self.executor.submit(self.fetch, number)
        self.taken += 1
        future = self.futures.pop(page, None)
        if future is None:
            return self.fetch(page)
        return future.result()

    def close(self):
        # not started yet: never sent. The highest page first, so that a page past the end is seldom sent while a
        # lower one is cancelled (it still can be, when a thread has taken the lower one off the queue but not yet
        # started it); every page up to the one the read ended on was sent and taken
        for number in sorted(self.futures, reverse=True):
            self.futures[number].cancel()
        self.executor.shutdown(wait=True)
