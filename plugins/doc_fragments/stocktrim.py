# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Connection options of every StockTrim module.
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the StockTrim API.
      - If not set, the value of the E(STOCKTRIM_URL) environment variable is used, then V(https://api.stocktrim.com).
      - Must start with V(http://) or V(https://) and name a host.
    type: str
    default: https://api.stocktrim.com
  auth_id:
    description:
      - The tenant id, sent in the C(api-auth-id) header.
      - If not set, the value of the E(STOCKTRIM_API_AUTH_ID) environment variable is used.
    type: str
    required: true
  auth_signature:
    description:
      - The tenant signature, sent in the C(api-auth-signature) header.
      - If not set, the value of the E(STOCKTRIM_API_AUTH_SIGNATURE) environment variable is used.
      - It never appears in results, failures, diffs or logs.
    type: str
    required: true
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle file (PEM) to verify the server's certificate with, instead of the system's.
    type: path
  timeout:
    description:
      - Seconds to wait for a connection and for each answer.
    type: float
    default: 30
  retries:
    description:
      - How many times a failed request may be retried. The total number of attempts is at most 1 + O(retries).
      - A failure to connect is retried for every request. HTTP 408, 429, 502, 503, 504, read timeouts and
        dropped connections are retried only for idempotent requests (GET, HEAD, PUT, DELETE, and the
        upserts by key such as creating or updating a product); a request that could act twice, such as
        creating a sales order line, is never sent again once the server may have received it.
      - Waits grow exponentially with full jitter; a C(Retry-After) header is honoured up to 30 seconds a wait.
      - V(0) turns retrying off.
    type: int
    default: 5
  client_cert:
    description:
      - A client certificate file (PEM) for servers that require one (mutual TLS). It may hold the private key
        too; otherwise give O(client_key).
    type: path
  client_key:
    description:
      - The private key file (PEM, unencrypted) of O(client_cert).
    type: path
  headers:
    description:
      - Extra HTTP headers sent with every request, for example those a gateway in front of the service wants.
      - The values of headers whose names look like secrets (containing C(auth), C(token), C(key), C(secret),
        C(signature), C(passw), C(cookie), C(session) or C(credential)) are masked in every result, failure and log.
      - The service's own authentication headers cannot be set here.
    type: dict
notes:
  - Proxies are taken from the usual E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY) environment variables.
  - The connection options can be set once for a play with
    C(module_defaults) and the C(group/apiops.platforms.stocktrim) action group.
requirements:
  - requests
  - tenacity
"""

    # The same options for lookup plugins, with their environment variables.
    # The one knob of the pool that reads the pages of a paged list ahead (modules that read such a list).
    PAGED_READS = r"""
options:
  workers:
    description:
      - How many pages of the list are read at once after its first page, taken in page order, so the items and
        their order are those of a read one page after the other.
      - The price is requests past the end; besides the pages that exist (and the empty or short one that ends the
        read), at most O(workers) minus one more pages are asked for, which the server answers as empty. With
        V(1), one page after the other.
    type: int
    default: 8
"""

    LOOKUP = r"""
options:
  url:
    description:
      - Base URL of the StockTrim API.
      - Must start with V(http://) or V(https://) and name a host.
    type: str
    default: https://api.stocktrim.com
    env:
      - name: STOCKTRIM_URL
  auth_id:
    description:
      - The tenant id, sent in the C(api-auth-id) header.
    type: str
    required: true
    env:
      - name: STOCKTRIM_API_AUTH_ID
  auth_signature:
    description:
      - The tenant signature, sent in the C(api-auth-signature) header. It never appears in output or errors.
    type: str
    required: true
    env:
      - name: STOCKTRIM_API_AUTH_SIGNATURE
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle file (PEM) to verify the server's certificate with, instead of the system's.
    type: path
  timeout:
    description:
      - Seconds to wait for a connection and for each answer.
    type: float
    default: 30
  retries:
    description:
      - How many times a failed request may be retried (the same rule as the modules). V(0) turns retrying off.
    type: int
    default: 5
  client_cert:
    description:
      - A client certificate file (PEM) for servers that require one (mutual TLS). It may hold the private key
        too; otherwise give O(client_key).
    type: path
  client_key:
    description:
      - The private key file (PEM, unencrypted) of O(client_cert).
    type: path
  headers:
    description:
      - Extra HTTP headers sent with every request, for example those a gateway in front of the service wants.
      - The values of headers whose names look like secrets (containing C(auth), C(token), C(key), C(secret),
        C(signature), C(passw), C(cookie), C(session) or C(credential)) are masked in every result, failure and log.
      - The service's own authentication headers cannot be set here.
    type: dict
notes:
  - Proxies are taken from the usual E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY) environment variables.
  - Lookups do not take C(module_defaults); give the connection options as keywords or through their
    environment variables.
requirements:
  - requests
  - tenacity
"""
