# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""read_pages: every item or a failure, never part of a list; with a pool, the same items, order and errors as one
page after the other, and the pages asked for."""

from __future__ import annotations

import threading

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ValidationError
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
    assert len(past) <= min(len(sequential.asked), pool - 1)  # the price: pages past the last one, fewer than
    # the pool and never more than were read


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
    # 237 items on pages of 20: pages 0-10 full, page 11 short. Once 4 pages were read, the window is the pool:
    # pages 4 to 7 only get past the barrier when all four are in flight
    together = threading.Barrier(4, timeout=10)
    later = threading.Event()

    def fetch(page):
        if 4 <= page <= 7:
            together.wait()
        if page == 4:
            later.wait(10)  # page 4 answers after page 5
        if page == 5:
            later.set()
        return zero_based(page, 20)

    assert read_pages(fetch, lambda x: x, 0, 50, pool=4) == DATA


@pytest.mark.parametrize("items", [0, 5, 50, 100, 150, 237, 500, 1000, 2500])
@pytest.mark.parametrize("pool", [2, 4, 8, 16])
def test_the_reads_past_the_end_grow_with_the_pages_read(items, pool):
    # 50 a page: ceil(items / 50) pages with items, then the page that ends the read (short or empty); what is
    # asked for past it is at most min(pages read, pool - 1), so at most ceil(N/50) + 1 + min(ceil(N/50), pool - 1)
    data = list(range(items))
    recorded = Recorded(lambda page: (data[page * 50:(page + 1) * 50], None))
    assert read_pages(recorded, lambda x: x, 0, 50, pool=pool) == data
    needed = -(-items // 50) + (1 if items % 50 == 0 or items < 50 else 0)
    if items == 0:
        needed = 1  # an empty first page ends the read: nothing is read ahead
    assert set(range(needed)) <= set(recorded.asked) and len(recorded.asked) == len(set(recorded.asked))
    past = len(recorded.asked) - needed
    assert past <= min(needed, pool - 1)
    assert len(recorded.asked) <= -(-items // 50) + 1 + min(-(-items // 50), pool - 1)


@pytest.mark.parametrize("pool", [2, 4, 8])
def test_a_reconcile_of_100_products_reads_3_pages_and_at_most_1_past_them(pool):
    # the figure: 100 products read 10 pages with 8 workers (7 past the 3 that end it); now 4 at most
    data = list(range(100))
    recorded = Recorded(lambda page: (data[page * 50:(page + 1) * 50], None))
    assert read_pages(recorded, lambda x: x, 0, 50, pool=pool) == data
    assert sorted(recorded.asked) == [0, 1, 2, 3]


@pytest.mark.parametrize("pool", [2, 4, 8])
def test_what_is_asked_for_at_most_doubles_what_was_read(pool):
    # 30 full pages of 10, then an empty one; when a page is fetched, pages 0 to t - 1 have been taken (their
    # items keyed): the window of the page taken next, max(2, t) pages at most, never reaches past 2t (or 2)
    data = list(range(300))
    keyed, asked_when = [], []
    lock = threading.Lock()

    def fetch(page):
        with lock:
            asked_when.append((page, len(keyed) // 10))
        return data[page * 10:(page + 1) * 10], None

    def key(item):
        with lock:
            keyed.append(item)
        return item

    assert read_pages(fetch, key, 0, 10, pool=pool) == data
    pages = sorted(page for page, _taken in asked_when)
    assert len(pages) == len(set(pages))  # each page once
    # none skipped up to the empty page 30 that ends the read; past it, a page not sent yet when the read ended is
    # cancelled, and a thread that had already taken a lower one off the queue may find it cancelled under load
    assert [page for page in pages if page <= 30] == list(range(31))
    for page, taken in asked_when:
        assert page < taken + min(pool, max(2, taken)), (page, taken)
    assert max(page for page, _taken in asked_when) <= 30 + pool - 1
