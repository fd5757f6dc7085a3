# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # The options of the request modules (foxops_request, stocktrim_request).
    DOCUMENTATION = r"""
options:
  method:
    description:
      - The HTTP method.
      - V(GET) and V(HEAD) are retried as the O(retries) option says. The other methods are never sent again once
        the server may have received them, as the module cannot know whether the operation is safe to repeat (a
        Foxops V(PUT) opens a change); a failure to connect (nothing was sent) and a V(429) (the server refused the
        call) are retried for every method. A failure after a write may have been carried out (no answer, a timeout,
        a 5xx) reports C(changed).
    type: str
    choices: [GET, HEAD, POST, PUT, PATCH, DELETE]
    default: GET
  path:
    description:
      - The operation's path, relative to the service's O(url), for example V(/api/Customers); the leading
        V(/) may be left out.
      - An absolute URL, a C(..) segment (also percent-encoded), a query string or a fragment is refused before any
        request. Give the query parameters in O(query); encode a C(/), C(?) or C(#) inside a path segment as
        C(%2F), C(%3F) or C(%23).
    type: str
    required: true
  query:
    description:
      - Query parameters. A list sends the parameter once per element; a boolean is sent as V(true) or V(false);
        a null value leaves the parameter out.
    type: dict
  body:
    description:
      - The request's JSON body. An object, a list, a number or a boolean is sent as JSON; a text is taken for a JSON
        document and must parse (to send a JSON string, quote it inside the text).
      - Refused with V(GET) and V(HEAD), before any request; give the parameters of a read in O(query).
    type: raw
  status_code:
    description:
      - The statuses that mean success. Any other status fails the task with the structured failure (C(error),
        C(status), C(method), C(url), C(body), C(attempts)).
      - By default any 2xx status is success. An error status listed here (a V(404) a task expects, for example) is
        returned like a success and not retried.
    type: list
    elements: int
  changed:
    description:
      - Whether the task reports C(changed).
      - By default V(GET) and V(HEAD) report not changed, and the other methods changed, except when they are
        answered with an expected status other than 2xx (a V(404) listed in O(status_code) for "already gone"), as the
        server did not act then.
      - V(false) also makes check mode send the call (a search sent as V(POST) returns its answer in a check run).
      - The module cannot know whether a write changed anything; set V(false) for an operation that only reads
        (a search sent as V(POST)), or use C(changed_when) on the task.
    type: bool
notes:
  - Secrets never appear in the result; response headers whose names look like secrets (C(Set-Cookie), C(X-Api-Key),
    ...) are masked, and the connection's secrets are masked wherever the answer echoes them.
  - Extra request headers (a C(Content-Type) other than JSON's, for example) go in the O(headers) option.
"""
