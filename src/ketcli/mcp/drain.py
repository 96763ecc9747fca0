"""Serving stdio to its end: every request read is answered before the server exits.

The SDK's dispatcher cancels the handlers still running when its read stream ends, so a
client that writes its requests and closes stdin (`printf … | ketcli mcp`) lost about
half of the answers. `Draining` wraps the two streams: at the end of input it waits
(DRAIN_SECONDS at most) until each request read has had its response written (or was
cancelled by the client), and only then reports the end.
"""

from __future__ import annotations

from typing import Any

import anyio

DRAIN_SECONDS = 60.0  # a handler that never ends cannot keep the server alive for ever


class Draining:
    """The read and write streams of one connection, the end of input held back until
    every request read has been answered."""

    def __init__(self, read_stream: Any, write_stream: Any) -> None:
        self.read = _Reader(self, read_stream)
        self.write = _Writer(self, write_stream)
        self.pending: set = set()
        self.idle = anyio.Event()
        self.idle.set()

    def asked(self, message: Any) -> None:
        import mcp_types as types

        if isinstance(message, types.JSONRPCRequest):
            self.pending.add(message.id)
            self.idle = anyio.Event() if self.idle.is_set() else self.idle
        elif isinstance(message, types.JSONRPCNotification) and message.method == "notifications/cancelled":
            params = message.params
            self.answered(params.get("requestId") if isinstance(params, dict) else getattr(params, "request_id", None))

    def answered(self, request_id: Any) -> None:
        self.pending.discard(request_id)
        if not self.pending:
            self.idle.set()

    async def drained(self) -> None:
        with anyio.move_on_after(DRAIN_SECONDS):
            await self.idle.wait()


class _Reader:
    def __init__(self, owner: Draining, inner: Any) -> None:
        self._owner, self._inner = owner, inner

    @property
    def last_context(self):  # the SDK reads the sender's context from its stream
        return getattr(self._inner, "last_context", None)

    async def receive(self) -> Any:
        try:
            item = await self._inner.receive()
        except anyio.EndOfStream:
            await self._owner.drained()
            raise
        message = getattr(item, "message", None)
        if message is not None:
            self._owner.asked(message)
        return item

    async def aclose(self) -> None:
        await self._inner.aclose()

    def __aiter__(self) -> _Reader:
        return self

    async def __anext__(self) -> Any:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None

    async def __aenter__(self) -> _Reader:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class _Writer:
    def __init__(self, owner: Draining, inner: Any) -> None:
        self._owner, self._inner = owner, inner

    async def send(self, item: Any, /) -> None:
        await self._inner.send(item)
        message = getattr(item, "message", None)
        if message is not None and not hasattr(message, "method") and hasattr(message, "id"):
            self._owner.answered(message.id)  # a response or an error to a request

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aenter__(self) -> _Writer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
