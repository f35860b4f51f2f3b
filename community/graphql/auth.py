"""The `Authorization: Bearer <token>` header, read the same way on HTTP and on the WebSocket."""

from __future__ import annotations


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
