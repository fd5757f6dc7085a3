# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Settling a delete whose answer was lost: by a read, never by a blind second DELETE."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ApiError


def settle_delete(send, exists):
    """A delete that is never sent blind a second time; True when it deleted, False when there was nothing.

    ``send()`` sends the delete once (not safe to repeat: a second DELETE after a first that worked is answered
    404, and Foxops even reuses the ids of deleted incarnations) and returns True, or False for "already gone".
    When its answer is lost (no answer, a timeout, a 5xx after it was sent), ``exists()`` reads the object
    again: gone means the delete was done (True); still there means it was not, and it is sent once more.
    A read that fails leaves the first error to be reported, which says the delete may have been carried out.
    """
    try:
        return send()
    except ApiError as err:
        if not err.may_have_acted:
            raise
        first = err
    try:
        still = exists()
    except ApiError:
        raise first
    if not still:
        return True
    return send()
