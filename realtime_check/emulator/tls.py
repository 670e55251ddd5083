"""A throw-away certificate authority and server certificate for the emulator's TLS mode.

trustme makes a CA and a leaf for the loopback names; the CA PEM goes to a temp file the
client can be pointed at (`--ca-bundle`), which is how the tls-trusted and tls-untrusted
scenarios differ. The CA's organization name is what a verifier shows as the issuer.
"""

from __future__ import annotations

import shutil
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import trustme

DEFAULT_CA_ORGANIZATION = "realtime-check test CA"
SERVER_NAMES = ("127.0.0.1", "localhost", "::1")


class TlsUnavailable(RuntimeError):
    """TLS emulation needs the optional `trustme` package."""


def make_ca(organization: str = DEFAULT_CA_ORGANIZATION) -> trustme.CA:
    """A fresh CA whose subject organization is `organization`."""
    try:
        import trustme
    except ImportError as exc:  # trustme is a test extra, not a runtime dependency
        raise TlsUnavailable("the emulator's TLS mode needs the 'trustme' package: pip install trustme") from exc
    return trustme.CA(organization_name=organization)


@dataclass
class ServerTls:
    """Server-side TLS material; `ca_file` is the PEM a client must trust."""

    ca: trustme.CA
    context: ssl.SSLContext
    ca_file: Path
    _tmpdir: Path

    def client_context(self) -> ssl.SSLContext:
        """A client context trusting only this CA (handy in tests)."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    def cleanup(self) -> None:
        shutil.rmtree(self._tmpdir, ignore_errors=True)


def make_server_tls(organization: str = DEFAULT_CA_ORGANIZATION) -> ServerTls:
    """CA + loopback server certificate, a server SSLContext, and the CA written to a temp file."""
    ca = make_ca(organization)
    leaf = ca.issue_cert(*SERVER_NAMES)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    leaf.configure_cert(context)
    tmpdir = Path(tempfile.mkdtemp(prefix="realtime-check-emulator-"))
    ca_file = tmpdir / "emulator-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return ServerTls(ca=ca, context=context, ca_file=ca_file, _tmpdir=tmpdir)
