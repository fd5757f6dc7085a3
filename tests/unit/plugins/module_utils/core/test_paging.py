# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""read_pages: every item or a failure, never part of a list; with a pool, the same items, order and errors as one
page after the other, and the pages asked for."""

from __future__ import annotations

import threading

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ServerError, ValidationError
from ansible_collections.apiops.platforms.plugins.module_utils.core.paging import read_pages

DATA = list(range(1, 238))  # 237 items: four full pages of 50 and a short one


def zero_based(page, size=50):
    return DATA[page * size:(page + 1) * size], None


def one_based_refusing_zero(page):
    if page == 0:
        raise ValidationError("pageNo must be 1 or more")
    return DATA[(page - 1) * 50:page * 50], None


# name: (fetch, the first page as the call declares it, the page size asked for)
SERVERS = {
    "0-based, 50 a page": (zero_based, 0, 50),
    "0-based, no size asked (40 a page)": (lambda page: zero_based(page, 40), 0, None),
    "0-based, capped at 20 where 50 were asked": (lambda page: zero_based(page, 20), 0, 50),
    "the page number ignored": (lambda page: (DATA[:50], None), 0, 50),
    "1-based, page 0 refused": (one_based_refusing_zero, 1, 50),
    "1-based, page 0 read as page 1": (lambda page: (DATA[max(page - 1, 0) * 50:max(page, 1) * 50], None), 1, 50),
    "says there is more, nothing new": (lambda page: (DATA[:50], True), 0, 50),
    "says when it ends": (lambda page: (DATA[page * 50:(page + 1) * 50], page < 4), 0, 50),
    "an exact multiple, then an empty page": (lambda page: (DATA[:200][page * 50:(page + 1) * 50], None), 0, 50),
    "empty": (lambda page: ([], None), 0, None),
}


class Recorded:
    """A fetch that records the pages asked for (from any thread)."""

    def __init__(self, fetch):
        self.fetch = fetch
        self.asked = []
        self.lock = threading.Lock()

    def __call__(self, page):
        with self.lock:
            self.asked.append(page)
        return self.fetch(page)


@pytest.mark.parametrize("name", sorted(SERVERS))
@pytest.mark.parametrize("pool", [2, 4, 8])
def test_a_pool_reads_what_the_sequential_read_reads(name, pool):
    fetch, first, size = SERVERS[name]
    sequential, ahead = Recorded(fetch), Recorded(fetch)
    expected = read_pages(sequential, lambda x: x, first, size)
    assert read_pages(ahead, lambda x: x, first, size, pool=pool) == expected
    assert len(ahead.asked) == len(set(ahead.asked))  # each page once
    assert set(sequential.asked) <= set(ahead.asked)
    past = [page for page in ahead.asked if page > max(sequential.asked)]
    assert len(past) <= pool - 1  # the price: pages past the last one, fewer than the pool


@pytest.mark.parametrize("pool", [None, 1])
def test_no_pool_is_the_sequential_read(pool):
    fetch = Recorded(zero_based)
    assert read_pages(fetch, lambda x: x, 0, 50, pool=pool) == DATA
    assert fetch.asked == [0, 1, 2, 3, 4]


def test_the_first_page_is_read_alone():
    first_done = threading.Event()

    def fetch(page):
        if page > 0:
            assert first_done.is_set()  # nothing is read ahead before the first page has answered
        else:
            first_done.set()
        return (DATA[:30], None) if page == 0 else ([], None)
    recorded = Recorded(fetch)
    assert read_pages(recorded, lambda x: x, 0, 50, pool=8) == DATA[:30]
    assert recorded.asked[0] == 0 and 1 in recorded.asked


def test_pages_are_fetched_together_and_taken_in_order():
    together = threading.Barrier(4, timeout=10)  # pages 1 to 4 only get past it when all four are in flight
    later = threading.Event()

    def fetch(page):
        if 1 <= page <= 4:
            together.wait()
        if page == 1:
            later.wait(10)  # page 1 answers after page 2
        if page == 2:
            later.set()
        return zero_based(page)

    assert read_pages(fetch, lambda x: x, 0, 50, pool=4) == DATA


def test_an_error_on_a_page_within_the_read_is_raised_as_in_the_sequential_read():
    def fetch(page):
        if page == 2:
            raise ServerError("GET page 2 returned 500")
        return zero_based(page)

    for pool in (None, 4):
        with pytest.raises(ServerError, match="page 2"):
            read_pages(fetch, lambda x: x, 0, 50, pool=pool)


def test_an_error_on_a_page_past_the_end_is_dropped():
    def fetch(page):
        if page > 4:
            raise ServerError("no such page")
        return zero_based(page)

    assert read_pages(fetch, lambda x: x, 0, 50, pool=8) == DATA


@pytest.mark.parametrize("name", sorted(SERVERS))
def test_every_server_gives_the_whole_list(name):
    fetch, first, size = SERVERS[name]
    whole = {"the page number ignored": DATA[:50], "says there is more, nothing new": DATA[:50],
             "an exact multiple, then an empty page": DATA[:200], "empty": []}.get(name, DATA)
    assert read_pages(fetch, lambda x: x, first, size) == whole


def test_a_page_capped_below_the_size_asked_for_does_not_end_the_read():
    fetch = Recorded(lambda page: zero_based(page, 20))  # 50 asked, 20 given: 237 items in 12 pages
    assert read_pages(fetch, lambda x: x, 0, 50) == DATA
    assert fetch.asked == list(range(12))  # the 12th page (17 items) is shorter than the 20 received: the end


def test_a_single_short_page_is_confirmed_by_the_next_one():
    fetch = Recorded(lambda page: zero_based(page) if page == 0 else ([], None))
    assert read_pages(fetch, lambda x: x, 0, 300) == DATA[:50]  # 50 given where 300 were asked: maybe capped
    assert fetch.asked == [0, 1]


@pytest.mark.parametrize("error", [ValidationError("page 0 refused", status=400),
                                   ServerError("rate limited", status=429), ServerError("down", status=503)])
@pytest.mark.parametrize("pool", [None, 4])
def test_an_error_on_the_first_page_fails_the_read(error, pool):
    asked = []

    def fetch(page):
        asked.append(page)
        if page == 0:
            raise error
        return zero_based(page)

    with pytest.raises(type(error)):
        read_pages(fetch, lambda x: x, 0, 50, pool=pool)
    assert asked == [0]  # never taken for "pages count from 1"


def test_a_read_that_never_ends_fails_at_max_pages():
    with pytest.raises(ServerError, match="did not end after 5 pages"):
        read_pages(lambda page: ([page], None), lambda x: x, 0, max_pages=5)


def test_the_first_page_must_be_declared():
    with pytest.raises(ValueError):
        read_pages(zero_based, lambda x: x, None)
