"""The shared SSL context and the meaning of TLS failures (failures.md F12, F14, F15)."""

from __future__ import annotations

import asyncio
import datetime
import ssl
from pathlib import Path

import pytest
import trustme

from realtime_check.diagnosis.certificates import (
    classify_tls_error,
    describe_verify_failure,
    is_public_ca,
    issuer_from_peercert,
)
from realtime_check.probes.tls import (
    TLSConfigError,
    build_ssl_context,
    fetch_presented_chain,
)


def _ca_orgs(ctx: ssl.SSLContext) -> set[str]:
    return {
        value
        for cert in ctx.get_ca_certs()
        for rdn in cert["subject"]
        for key, value in rdn
        if key == "organizationName"
    }


def _write_ca(tmp_path: Path, org: str) -> Path:
    path = tmp_path / f"{org.split()[0].lower()}.pem"
    trustme.CA(organization_name=org).cert_pem.write_to_path(str(path))
    return path


def _leaf_der(org: str, *names: str, **options: object) -> list[bytes]:
    cert = trustme.CA(organization_name=org).issue_cert(*(names or ("api.openai.test",)), **options)  # type: ignore[arg-type]
    return [ssl.PEM_cert_to_DER_cert(cert.cert_chain_pems[0].bytes().decode())]


def _verify_error(code: int, message: str) -> ssl.SSLCertVerificationError:
    exc = ssl.SSLCertVerificationError(1, f"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: {message}")
    exc.verify_code = code
    exc.verify_message = message
    return exc


# --- build_ssl_context ------------------------------------------------------------------------


def test_ca_bundle_flag_is_the_trust_source(tmp_path: Path) -> None:
    """--ca-bundle loads that file, wins over SSL_CERT_FILE, and is named in the description."""
    flag = _write_ca(tmp_path, "Contoso Corp Inspection CA")
    env_file = _write_ca(tmp_path, "Fabrikam Proxy CA")
    ctx, description = build_ssl_context(str(flag), {"SSL_CERT_FILE": str(env_file)})
    assert description == f"--ca-bundle {flag}"
    assert _ca_orgs(ctx) == {"Contoso Corp Inspection CA"}
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname


def test_ssl_cert_file_is_used_like_httpx_does(tmp_path: Path) -> None:
    """Without the flag, SSL_CERT_FILE from the given env mapping is the trust source."""
    env_file = _write_ca(tmp_path, "Fabrikam Proxy CA")
    ctx, description = build_ssl_context(None, {"SSL_CERT_FILE": str(env_file)})
    assert description == f"SSL_CERT_FILE={env_file}"
    assert _ca_orgs(ctx) == {"Fabrikam Proxy CA"}


def test_default_is_certifi_and_requests_ca_bundle_is_only_noted(tmp_path: Path) -> None:
    """With no bundle configured, certifi is used; REQUESTS_CA_BUNDLE is reported as ignored, not loaded."""
    ignored = _write_ca(tmp_path, "Contoso Corp Inspection CA")
    ctx, description = build_ssl_context(None, {"REQUESTS_CA_BUNDLE": str(ignored)})
    assert description.startswith("certifi ")
    assert "REQUESTS_CA_BUNDLE set but ignored" in description and "SSL_CERT_FILE" in description
    assert "Contoso Corp Inspection CA" not in _ca_orgs(ctx) and len(ctx.get_ca_certs()) > 50


def test_ssl_cert_dir_is_used_when_it_is_a_directory(tmp_path: Path) -> None:
    """SSL_CERT_DIR names a directory of hashed certificates, as OpenSSL and httpx read it."""
    _, description = build_ssl_context(None, {"SSL_CERT_DIR": str(tmp_path)})
    assert description == f"SSL_CERT_DIR={tmp_path}"


@pytest.mark.parametrize(
    ("setup", "flag", "env_name", "fragment"),
    [
        ("missing", True, None, "no such file"),
        ("junk", True, None, "no PEM certificate"),
        ("missing", False, "SSL_CERT_FILE", "no such file"),
        ("directory", False, "SSL_CERT_FILE", "is a directory"),
        ("missing", False, "SSL_CERT_DIR", "is not a directory"),
    ],
)
def test_unusable_bundle_raises_a_clear_config_error(
    tmp_path: Path, setup: str, flag: bool, env_name: str | None, fragment: str
) -> None:
    """A missing, non-PEM or wrong-kind bundle raises TLSConfigError naming the source, never an OSError traceback."""
    path = {"missing": tmp_path / "nope.pem", "junk": tmp_path / "junk.pem", "directory": tmp_path}[setup]
    if setup == "junk":
        path.write_text("this is not a certificate\n")
    env = {env_name: str(path)} if env_name else {}
    with pytest.raises(TLSConfigError) as info:
        build_ssl_context(str(path) if flag else None, env)
    assert info.value.diagnosis_id == "ca_bundle_unreadable"
    assert info.value.source == ("--ca-bundle" if flag else env_name)
    assert fragment in str(info.value)


# --- describe_verify_failure / classify_tls_error --------------------------------------------------


def test_unknown_issuer_is_interception_and_names_it() -> None:
    """Code 20 with a chain from a non-public CA is TLS inspection, and the message names the CA."""
    diagnosis, message = describe_verify_failure(
        _verify_error(20, "unable to get local issuer certificate"), _leaf_der("Contoso Corp Inspection CA")
    )
    assert diagnosis == "tls_interception"
    assert (
        "Contoso Corp Inspection CA" in message
        and "--ca-bundle" in message
        and "never turn verification off" in message
    )


def test_self_signed_in_chain_from_a_public_ca_means_missing_store() -> None:
    """Code 19 with a chain issued by a well-known public CA means the local CA store is missing."""
    diagnosis, message = describe_verify_failure(
        _verify_error(19, "self-signed certificate in certificate chain"), _leaf_der("Let's Encrypt")
    )
    assert diagnosis == "tls_ca_store_missing"
    assert "Let's Encrypt" in message and "certifi" in message


def test_unreadable_chain_still_gives_a_hedged_answer() -> None:
    """Without the presented chain the answer covers both inspection and a missing store."""
    diagnosis, message = describe_verify_failure(_verify_error(20, "unable to get local issuer certificate"), None)
    assert diagnosis == "tls_interception"
    assert "certifi" in message and "--ca-bundle" in message


def test_expired_and_mismatch_codes_have_their_own_ids() -> None:
    """Verify codes 10 (expired) and 62 (hostname mismatch) map to their ids with useful facts."""
    expired = _leaf_der(
        "Contoso", "api.openai.test", not_before=datetime.datetime(2000, 1, 1), not_after=datetime.datetime(2001, 1, 1)
    )
    assert describe_verify_failure(_verify_error(10, "certificate has expired"), expired) == (
        "tls_expired",
        "The certificate is expired (valid 2000-01-01 to 2001-01-01): check this machine's clock (`date -u`).",
    )
    diagnosis, message = describe_verify_failure(
        _verify_error(62, "Hostname mismatch, certificate is not valid for 'api.openai.com'."),
        _leaf_der("Contoso", "relay.example.test"),
    )
    assert diagnosis == "tls_hostname_mismatch"
    assert message == "Hostname mismatch, certificate is not valid for 'api.openai.com'; it covers relay.example.test."


def _ssl_error(reason: str) -> ssl.SSLError:
    exc = ssl.SSLError(1, f"[SSL: {reason}] {reason.lower().replace('_', ' ')}")
    exc.reason = reason
    return exc


@pytest.mark.parametrize(
    ("exc", "diagnosis"),
    [
        (_ssl_error("WRONG_VERSION_NUMBER"), "tls_wrong_version"),
        (_ssl_error("SSLV3_ALERT_HANDSHAKE_FAILURE"), "tls_handshake_failed"),
        (_ssl_error("TLSV1_ALERT_PROTOCOL_VERSION"), "tls_handshake_failed"),
        (ssl.SSLEOFError(8, "EOF occurred in violation of protocol"), "tls_handshake_failed"),
        (ConnectionResetError(104, "Connection reset by peer"), "tls_handshake_failed"),
    ],
)
def test_non_verify_tls_errors_are_classified(exc: BaseException, diagnosis: str) -> None:
    """Plain HTTP answers are wrong-version (F12); alerts, EOFs and resets are refused handshakes (F15)."""
    assert classify_tls_error(exc)[0] == diagnosis


def test_alert_message_names_the_alert_and_blames_the_path_not_the_key() -> None:
    """The handshake-alert message repeats OpenSSL's reason and says it is not about the key."""
    _, message = classify_tls_error(_ssl_error("SSLV3_ALERT_HANDSHAKE_FAILURE"))
    assert "SSLV3_ALERT_HANDSHAKE_FAILURE" in message and "not your key" in message


@pytest.mark.parametrize(
    ("name", "public"),
    [
        ("DigiCert Inc", True),
        ("Google Trust Services", True),
        ("Zscaler Inc.", False),
        ("Contoso Corp Inspection CA", False),
    ],
)
def test_public_ca_heuristic(name: str, public: bool) -> None:
    """Well-known public CAs are recognised by organisation; inspection vendors are not."""
    assert is_public_ca(name) is public


def test_issuer_from_peercert_prefers_organisation() -> None:
    """The issuer shown after a good handshake is the organisation, else the common name."""
    cert = {
        "issuer": ((("countryName", "US"),), (("organizationName", "Google Trust Services"),), (("commonName", "WE1"),))
    }
    assert issuer_from_peercert(cert) == "Google Trust Services"
    assert issuer_from_peercert({"issuer": ((("commonName", "Local CA"),),)}) == "Local CA"
    assert issuer_from_peercert(None) is None


# --- fetch_presented_chain ------------------------------------------------------------------------


def test_fetch_presented_chain_reads_the_leaf_and_sends_nothing_else() -> None:
    """The unverified reconnect returns the presented certificate and sends no application bytes."""
    ca = trustme.CA(organization_name="Contoso Corp Inspection CA")
    received: list[bytes] = []

    async def main() -> list[bytes] | None:
        done = asyncio.Event()

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                received.append(await reader.read())
            except (ConnectionError, ssl.SSLError):
                received.append(b"<error>")
            finally:
                writer.close()
                done.set()

        server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("api.openai.test").configure_cert(server_ctx)
        server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_ctx)
        async with server:
            port = server.sockets[0].getsockname()[1]
            chain = await fetch_presented_chain(
                lambda: asyncio.open_connection("127.0.0.1", port), "api.openai.test", 5
            )
            await asyncio.wait_for(done.wait(), 5)
        return chain

    chain = asyncio.run(main())
    assert chain is not None
    assert (
        describe_verify_failure(_verify_error(20, "unable to get local issuer certificate"), chain)[0]
        == "tls_interception"
    )
    assert received == [b""]


def test_fetch_presented_chain_gives_none_when_nothing_answers() -> None:
    """A reconnect that fails yields None rather than an exception."""

    async def refused() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        raise ConnectionRefusedError(111, "Connection refused")

    assert asyncio.run(fetch_presented_chain(refused, "api.openai.test", 1)) is None
