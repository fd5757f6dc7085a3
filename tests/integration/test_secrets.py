# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets never appear in any output: every module family and the lookup are run with ``-vvvv`` and ``--diff``
against a server that echoes each request (its headers, with the token and the signature, and its body) in
its error answers, once as a server error (retried where the call is idempotent) and once as a refused
authentication.  The token, the signature and an extra header whose name looks like a secret must appear
nowhere in stdout or stderr, while the failures are still the structured ones.

Given as options (``module_defaults`` from a vars file), the secrets are masked by their ``no_log``.  With
``ANSIBLE_DEBUG`` on, Ansible itself logs every module's arguments unmasked (its own debug facility), so that
run takes them from the environment variables the options fall back to, as the docs advise."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

TOKEN = "tok-SECRET-1f2e3d4c"
SIGNATURE = "sig-SECRET-9a8b7c6d"
GATEWAY = "gw-SECRET-5e4f3a2b"  # an extra header a gateway wants, its name looking like a secret

PLAY = """
- name: Every module family against a server that echoes the request
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  module_defaults:
    group/apiops.platforms.foxops:
      url: "{{ echo_url }}"
      token: "{{ foxops_token | default(omit) }}"
      headers: "{{ gateway_headers | default(omit) }}"
      retries: 1
    group/apiops.platforms.stocktrim:
      url: "{{ echo_url }}"
      auth_id: tenant
      auth_signature: "{{ stocktrim_signature | default(omit) }}"
      headers: "{{ gateway_headers | default(omit) }}"
      retries: 1
  tasks:
    - name: Foxops incarnation
      apiops.platforms.foxops_incarnation:
        incarnation_repository: inc1
        template_repository: template
        template_repository_version: v1.0.0
        template_data: {name: Jon}
      ignore_errors: true
      register: foxops_incarnation
    - name: Foxops reset
      apiops.platforms.foxops_incarnation_reset:
        incarnation_repository: inc1
      ignore_errors: true
      register: foxops_reset
    - name: Foxops info
      apiops.platforms.foxops_incarnation_info:
        details: true
      ignore_errors: true
      register: foxops_info
    - name: Foxops lookup
      ansible.builtin.debug:
        msg: "{{ query('apiops.platforms.foxops_incarnations', url=echo_url, token=foxops_token | default(omit), retries=1) }}"
      ignore_errors: true
      register: foxops_lookup
    - name: StockTrim product
      apiops.platforms.stocktrim_product:
        product_id: P-1
        name: Widget
      ignore_errors: true
      register: stocktrim_product
    - name: StockTrim products
      apiops.platforms.stocktrim_products:
        products:
          - {product_id: P-1, name: Widget}
      ignore_errors: true
      register: stocktrim_products
    - name: StockTrim purchase order
      apiops.platforms.stocktrim_purchase_order:
        client_reference_number: PO-1
        supplier: {supplier_code: ACME}
        purchase_order_line_items:
          - {product_id: P-1, quantity: 2}
      ignore_errors: true
      register: stocktrim_purchase_order
    - name: StockTrim forecast
      apiops.platforms.stocktrim_forecast:
      ignore_errors: true
      register: stocktrim_forecast
    - name: StockTrim order plan
      apiops.platforms.stocktrim_order_plan_info:
      ignore_errors: true
      register: stocktrim_order_plan
    - name: StockTrim purchase orders from the order plan
      apiops.platforms.stocktrim_purchase_orders_from_plan:
        supplier_codes: [ACME]
      ignore_errors: true
      register: stocktrim_from_plan
    - name: Foxops request
      apiops.platforms.foxops_request:
        method: POST
        path: /api/incarnations
        body: {incarnation_repository: inc1}
      ignore_errors: true
      register: foxops_request
    - name: Foxops request taking the echo for its answer
      apiops.platforms.foxops_request:
        path: /api/incarnations
        status_code: [500, 401]
      register: foxops_request_answer
    - name: StockTrim request
      apiops.platforms.stocktrim_request:
        method: PUT
        path: /api/Customers
        body: {code: C-1}
      ignore_errors: true
      register: stocktrim_request
    - name: StockTrim request taking the echo for its answer
      apiops.platforms.stocktrim_request:
        path: /api/Customers
        status_code: [500, 401]
      register: stocktrim_request_answer
    - name: StockTrim lookup
      ansible.builtin.debug:
        msg: "{{ query('apiops.platforms.stocktrim', 'products', url=echo_url, auth_id='tenant',
                 auth_signature=stocktrim_signature | default(omit), retries=1) }}"
      ignore_errors: true
      register: stocktrim_lookup
    - name: The failures are structured
      ansible.builtin.assert:
        that:
          - item is failed
          - item.error is defined and item.error in ['server', 'authentication']
          - item.attempts is defined
      loop:
        - "{{ foxops_incarnation }}"
        - "{{ foxops_reset }}"
        - "{{ foxops_info }}"
        - "{{ stocktrim_product }}"
        - "{{ stocktrim_products }}"
        - "{{ stocktrim_purchase_order }}"
        - "{{ stocktrim_forecast }}"
        - "{{ stocktrim_order_plan }}"
        - "{{ stocktrim_from_plan }}"
        - "{{ foxops_request }}"
        - "{{ stocktrim_request }}"
      loop_control:
        label: "{{ item.msg | default('') | truncate(60) }}"
    - name: The requests taking the echo for an answer return it, secrets masked
      ansible.builtin.assert:
        that:
          - item is not failed
          - item.json.message is search('echo:')
      loop:
        - "{{ foxops_request_answer }}"
        - "{{ stocktrim_request_answer }}"
      loop_control:
        label: "{{ item.url | default('') }}"
    - name: The lookup failed too
      ansible.builtin.assert:
        that:
          - foxops_lookup is failed
          - stocktrim_lookup is failed
"""


@pytest.fixture(params=[500, 401])
def echo_server(request):
    """Answers every request with ``status`` and a body echoing the request's headers and body."""
    status = request.param
    seen = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _echo(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            seen.append(self.path)
            echo = "echo: %s %s headers=%s body=%s" % (self.command, self.path, dict(self.headers), body)
            data = json.dumps({"message": echo, "headers": dict(self.headers)}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _echo

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % server.server_address[1], seen
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("debug", [False, True], ids=["options at -vvvv", "environment with ANSIBLE_DEBUG"])
def test_no_secret_in_any_output_at_the_highest_verbosity(debug, echo_server, ansible_env, tmp_path):
    url, seen = echo_server
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAY)
    env = dict(ansible_env)
    extra = {"echo_url": url}
    if debug:
        env.update(ANSIBLE_DEBUG="1", FOXOPS_TOKEN=TOKEN, STOCKTRIM_API_AUTH_SIGNATURE=SIGNATURE)
    else:
        extra.update(foxops_token=TOKEN, stocktrim_signature=SIGNATURE, gateway_headers={"X-Gateway-Token": GATEWAY})
    varsfile = tmp_path / "vars.json"
    varsfile.write_text(json.dumps(extra))
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-vvvv", "--diff", "-i", "localhost,",
           "-e", "@%s" % varsfile, str(playbook)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)
    output = proc.stdout + proc.stderr
    (tmp_path / "output.txt").write_text(output)
    assert proc.returncode == 0, output[-5000:]
    assert seen, "no request reached the echo server"
    assert "echo: " in output  # the server's answers, echoing the secrets, are in the failures
    for secret in (TOKEN, SIGNATURE) if debug else (TOKEN, SIGNATURE, GATEWAY):
        lines = [line for line in output.splitlines() if secret in line]
        assert not lines, "%s appears in the output:\n%s" % (secret[:8], "\n".join(lines[:5])[:3000])
