# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Connection options of every Foxops module.
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the Foxops server, for example V(https://foxops.example.com).
      - If not set, the value of the E(FOXOPS_URL) environment variable is used.
      - Must start with V(http://) or V(https://) and name a host.
    type: str
    required: true
  token:
    description:
      - The static API token of the Foxops server, sent as a bearer token.
      - If not set, the value of the E(FOXOPS_TOKEN) environment variable is used.
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
        dropped connections are retried only for idempotent requests (GET, HEAD, PUT, DELETE); a request
        that could act twice is never sent again once the server may have received it.
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
    C(module_defaults) and the C(group/apiops.platforms.foxops) action group.
requirements:
  - requests
  - tenacity
"""

    # The same options for lookup and inventory plugins, with their environment variables.
    # The waits of the incarnation modules: for an open merge request that carries another state, and after the change.
    WAIT = r"""
options:
  wait:
    description:
      - When an open merge request of the incarnation carries another state than the desired one, wait until it is
        merged or closed, then go on, instead of failing with C(error=conflict).
      - A check run never waits (see the check_mode attribute for what it therefore cannot predict).
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds to wait at most with O(wait=true), and again for O(wait_for_merge_request); then the module
        fails with C(error=timeout).
    type: int
    default: 600
  wait_sleep:
    description:
      - Seconds between two looks at the merge request with O(wait=true) or O(wait_for_merge_request).
    type: float
    default: 5
  wait_for_merge_request:
    description:
      - After the change, wait until its merge request is at least V(open) (opened; whatever became of it since) or
        V(merged). V(none) does not wait.
      - When the incarnation already has an open merge request that carries the desired state (no change), that
        merge request is waited for.
      - A merge request closed without being merged while waiting for V(merged) fails with C(error=conflict), and one
        that is not there after O(wait_timeout) with C(error=timeout); both name the merge request
        (C(merge_request_id), C(merge_request_url)) and report C(changed) when the run changed the incarnation.
      - Nothing to wait for after a direct change (O(change_type=direct)), or with O(automerge=true) once merged.
      - A check run never waits.
    type: str
    choices: [none, open, merged]
    default: none
"""

    PLUGINS = r"""
options:
  url:
    description:
      - Base URL of the Foxops server.
    type: str
    required: true
    env:
      - name: FOXOPS_URL
  token:
    description:
      - The static API token of the Foxops server. It never appears in output or errors.
    type: str
    required: true
    env:
      - name: FOXOPS_TOKEN
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle file (PEM) to verify the server's certificate with.
    type: path
  timeout:
    description:
      - Seconds to wait for a connection and for each answer.
    type: float
    default: 30
  retries:
    description:
      - How many times a failed request may be retried (same rule as the modules). V(0) turns retrying off.
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
requirements:
  - requests
  - tenacity
"""
