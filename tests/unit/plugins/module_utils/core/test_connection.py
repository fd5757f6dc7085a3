# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options both families share: extra headers (secrets among them masked) and a client
certificate, proven against real sockets (a TLS server that requires the certificate)."""

from __future__ import annotations

import http.server
import shutil
import ssl
import subprocess
import threading

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.core import errors
from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import make_transport, secret_header_values
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import FoxopsClient
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient


def options(url, **kwargs):
    values = {"url": url, "retries": 0}
    values.update(kwargs)
    return values


def test_extra_headers_are_sent_beside_the_authentication(server):
    server.script({"status": 200, "body": []})
    client = FoxopsClient.from_options(options(server.url, token="tok-123", headers={"X-Team": "platform", "X-Api-Key": "gw-secret"}))
    client.list_incarnations()
    sent = server.seen[0]["headers"]
    assert sent["X-Team"] == "platform" and sent["X-Api-Key"] == "gw-secret" and sent["Authorization"] == "Bearer tok-123"


def test_secret_looking_header_values_never_appear_in_errors(server):
    server.script({"status": 400, "body": {"message": "bad key gw-secret for team platform"}})
    client = StockTrimClient.from_options(options(server.url, auth_id="tenant", auth_signature="sig-123",
                                                  headers={"X-Gateway-Token": "gw-secret", "X-Team": "platform"}))
    with pytest.raises(errors.ApiError) as caught:
        client.transport.request("GET", "/api/Products", idempotent=True)
    assert "gw-secret" not in caught.value.msg and "gw-secret" not in caught.value.body
    assert "platform" in caught.value.body
    assert secret_header_values({"Cookie": "c", "X-Session-Id": "s", "Proxy-Authorization": "p", "Accept": "a"}) == ["c", "s", "p"]


@pytest.mark.parametrize("bad, message", [
    ({"headers": {"Authorization": "Bearer other"}}, "headers must not set Authorization"),
    ({"headers": {"X-Nested": {"a": 1}}}, "must be a header name with a text value"),
    ({"client_key": "/nonexistent/key.pem"}, "client_key needs client_cert"),
    ({"client_cert": "/nonexistent/cert.pem"}, "client_cert '/nonexistent/cert.pem' is not a file"),
])
def test_bad_connection_options_are_refused_before_any_request(server, bad, message):
    with pytest.raises(errors.InputError) as caught:
        FoxopsClient.from_options(options(server.url, token="tok-123", **bad))
    assert message in caught.value.msg
    assert server.count() == 0


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make the certificates")
    d = tmp_path_factory.mktemp("pki")

    def run(*args):
        subprocess.run(["openssl"] + list(args), cwd=d, check=True, capture_output=True)

    # keyUsage on the CA and authorityKeyIdentifier on the others: Python 3.13's strict verification requires them
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=test-ca",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    (d / "san.cnf").write_text("subjectAltName=IP:127.0.0.1\nauthorityKeyIdentifier=keyid\n")
    for name in ("server", "client"):
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "%s.key" % name, "-out", "%s.csr" % name, "-subj", "/CN=%s" % name)
        run("x509", "-req", "-in", "%s.csr" % name, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
            "%s.pem" % name, "-days", "2", "-extfile", "san.cnf")
    return d


@pytest.fixture
def mtls_url(pki):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 (the name http.server calls)
            body = b"2.9.1"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(pki / "server.pem"), str(pki / "server.key"))
    context.load_verify_locations(str(pki / "ca.pem"))
    context.verify_mode = ssl.CERT_REQUIRED
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield "https://127.0.0.1:%d" % httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_a_client_certificate_opens_a_server_that_requires_one(pki, mtls_url):
    with_cert = make_transport(options(mtls_url, ca_path=str(pki / "ca.pem"), client_cert=str(pki / "client.pem"),
                                       client_key=str(pki / "client.key")), {}, secrets=())
    assert with_cert.request("GET", "/version", idempotent=True).text == "2.9.1"
    without = make_transport(options(mtls_url, ca_path=str(pki / "ca.pem")), {}, secrets=())
    with pytest.raises(errors.TransportError) as caught:
        without.request("GET", "/version", idempotent=True)
    assert "client_cert" in caught.value.msg or "Connection" in caught.value.msg


def test_a_module_masks_secret_header_values_in_its_result_and_its_log(capsys, monkeypatch):
    from ansible.module_utils.testing import patch_module_args  # pylint: disable=import-outside-toplevel

    from ansible_collections.apiops.platforms.plugins.module_utils.core.module import ApiModule  # pylint: disable=import-outside-toplevel

    logged = []
    monkeypatch.setattr(ApiModule, "log", lambda self, msg, log_args=None: logged.append(msg))
    args = {"url": "http://127.0.0.1:1", "token": "tok-123", "headers": {"X-Team": "platform", "X-Api-Key": "gw-secret-9"}}
    with patch_module_args(args):
        module = ApiModule(FoxopsClient, argument_spec={})
        with pytest.raises(SystemExit):
            module.exit_json(changed=False, echoed="sent gw-secret-9 for platform")
    out = capsys.readouterr().out
    assert "gw-secret-9" not in out and "tok-123" not in out and "platform" in out
    assert [m for m in logged if "X-Team" in m] and not [m for m in logged if "gw-secret-9" in m]


@pytest.mark.parametrize("workers, size", [(None, 16), (1, 16), (8, 16), (16, 16), (40, 40), ("40", 16), (True, 16)])
def test_the_connection_pool_holds_every_worker(workers, size):
    extra = {} if workers is None else {"workers": workers}
    transport = make_transport(options("http://127.0.0.1:1", **extra), {}, secrets=())
    try:
        assert transport.session.get_adapter("http://127.0.0.1:1/").poolmanager.connection_pool_kw["maxsize"] == size
    finally:
        transport.close()
