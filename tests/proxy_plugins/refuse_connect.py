"""A proxy.py plugin for the real-proxy tests: a corporate proxy that allows no CONNECT tunnel at all,
as proxies that only tunnel to an allowlist of ports (or none) answer."""

from __future__ import annotations

from proxy.http.exception import HttpRequestRejected
from proxy.http.parser import HttpParser
from proxy.http.proxy import HttpProxyBasePlugin


class RefuseConnect(HttpProxyBasePlugin):
    """Answer every CONNECT with 403 before any upstream connection is made."""

    def before_upstream_connection(self, request: HttpParser) -> HttpParser | None:
        if request.is_https_tunnel:
            raise HttpRequestRejected(
                status_code=403, reason=b"Forbidden", body=b"CONNECT tunnels are not allowed by policy\n"
            )
        return request
