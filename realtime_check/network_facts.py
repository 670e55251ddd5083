"""What a network probe found: frozen facts the probe fills in and the diagnosis layer reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    name: str  # "dns", "tcp", "proxy_tls", "proxy_connect", "tls", "socks"
    ok: bool | None  # None: skipped
    ms: float | None
    detail: str


@dataclass(frozen=True)
class Address:
    ip: str
    family: str  # "IPv4" or "IPv6"


@dataclass(frozen=True)
class TLSInfo:
    version: str | None  # "TLSv1.3"
    cipher: str | None
    issuer: str | None  # organisation (else CN) of the leaf's issuer
    sni: str
    ms: float
    alpn: str | None = None


@dataclass(frozen=True)
class NetworkProbe:
    url: str
    host: str
    port: int
    tls_expected: bool
    steps: tuple[Step, ...] = ()
    resolved_host: str | None = None  # whose addresses these are: the API host, or the proxy
    addresses: tuple[Address, ...] = ()
    connected_to: str | None = None
    tls: TLSInfo | None = None
    proxy: str | None = None  # display form, credentials masked
    proxy_kind: str | None = None  # "http", "https", "socks"
    diagnosis: str | None = None
    message: str | None = None
    exception_type: str | None = None

    @property
    def ok(self) -> bool:
        return self.diagnosis is None and self.message is None
