# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS against a real local HTTPS server with its own CA: the user's validate_certs and ca_path win over the
CA bundle variables of the environment (REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE), which many images set."""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import TransportError
from ansible_collections.apiops.platforms.plugins.module_utils.core.transport import RetryPolicy, Transport

ENV_BUNDLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, issuer, key, signing_key, ca):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if ca:  # the extensions Python 3.13's strict verification (VERIFY_X509_STRICT) requires
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                        critical=False)
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def _pem(path, *parts):
    path.write_bytes(b"".join(parts))
    return str(path)


@pytest.fixture(scope="module")
def https(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 whose certificate is signed by a CA of its own; yields (url, ca file)."""
    folder = tmp_path_factory.mktemp("tls")
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_cert = _certificate(_name("apiops test CA"), _name("apiops test CA"), ca_key, ca_key, ca=True)
    cert = _certificate(_name("127.0.0.1"), ca_cert.subject, key, ca_key, ca=False)
    ca_file = _pem(folder / "ca.pem", ca_cert.public_bytes(serialization.Encoding.PEM))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    chain = _pem(folder / "server.pem", cert.public_bytes(serialization.Encoding.PEM), key_pem)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 (the method name http.server calls)
            body = json.dumps({"ok": True}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield "https://127.0.0.1:%d" % server.server_address[1], ca_file
    server.shutdown()
    server.server_close()


def _get(url, **options):
    transport = Transport(url, policy=RetryPolicy(retries=0), **options)
    try:
        return transport.request("GET", "/", idempotent=True).json()
    finally:
        transport.close()


@pytest.fixture(params=["no bundle in the environment", "another bundle in the environment"])
def environment(request, monkeypatch):
    """The environment without CA bundle variables, or with both pointing at the public bundle (not our CA)."""
    for name in ENV_BUNDLES:
        monkeypatch.delenv(name, raising=False)
    if request.param.startswith("another"):
        import certifi
        for name in ENV_BUNDLES:
            monkeypatch.setenv(name, certifi.where())
    return request.param


def test_a_server_signed_by_an_unknown_ca_is_refused_with_how_to_trust_it(https, environment):
    url, _ca = https
    with pytest.raises(TransportError, match="see validate_certs, ca_path") as caught:
        _get(url)
    assert caught.value.kind == "transport" and caught.value.attempts == 1


def test_ca_path_is_trusted_whatever_the_environment_says(https, environment):
    url, ca_file = https
    assert _get(url, ca_path=ca_file) == {"ok": True}


def test_validate_certs_false_is_honoured_whatever_the_environment_says(https, environment):
    url, _ca = https
    assert _get(url, validate_certs=False) == {"ok": True}


def test_the_environment_bundle_is_used_when_the_user_gave_no_ca_path(https, monkeypatch):
    url, ca_file = https
    for name in ENV_BUNDLES:
        monkeypatch.setenv(name, ca_file)
    assert _get(url) == {"ok": True}
