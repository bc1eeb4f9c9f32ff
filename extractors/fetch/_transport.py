"""An httpx transport whose every TCP connection is checked against SSRF.

httpx 0.28 has no public hook for the httpcore network backend, so the guarded
transport builds its own ``httpcore.AsyncConnectionPool`` (the same one
``httpx.AsyncHTTPTransport`` builds) with a backend that resolves the host,
refuses any non-public address and then connects to the address it checked.
Redirects open new connections through the same backend, so they are covered.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import httpcore
import httpx

__all__ = ["AddressRefused", "GuardedTransport", "public_address_problem"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class AddressRefused(httpcore.ConnectError):
    """A host resolved to an address that is not on the public internet."""


def _is_public(ip: IPAddress) -> bool:
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _addresses_to_judge(ip: IPAddress) -> list[IPAddress]:
    """The address itself and any IPv4 address it carries.

    An IPv4-mapped or NAT64 address *is* its IPv4 address, so only that is
    judged; 6to4 and Teredo addresses are judged on both parts.
    """
    if not isinstance(ip, ipaddress.IPv6Address):
        return [ip]
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip in _NAT64:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    if ip.sixtofour is not None:
        return [ip, ip.sixtofour]
    if ip.teredo is not None:
        return [ip, ip.teredo[1]]
    return [ip]


def public_address_problem(address: str) -> str | None:
    """None when ``address`` is a public unicast address, else why it is not."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    for candidate in _addresses_to_judge(ip):
        if not _is_public(candidate):
            return f"refused: {candidate} is not a public address"
    return None


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, allow_private: bool) -> None:
        self._allow_private = allow_private
        self._inner = httpcore.AnyIOBackend()

    async def _checked_addresses(self, host: str, port: int) -> list[str]:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not self._allow_private:
            # Refuse the host if any address is private: a name that mixes public
            # and private answers is the DNS-rebinding trick.
            for address in addresses:
                problem = public_address_problem(address)
                if problem:
                    raise AddressRefused(problem)
        return addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._checked_addresses(host, port)
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        raise last_error or httpcore.ConnectError(f"no address for {host}")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """``httpx.AsyncHTTPTransport`` with the SSRF-checking network backend."""

    def __init__(self, *, allow_private: bool, http2: bool = True, limits: httpx.Limits) -> None:
        super().__init__(http2=http2, limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=http2,
            network_backend=_GuardedBackend(allow_private),
        )
