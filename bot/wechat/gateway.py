"""The official account's callback URL: GET answers WeChat's handshake, POST takes messages."""
from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.wechat.pipeline import Conversation, Unanswered
from bot.wechat.protocol import Envelope, Refused, WeChatProtocol
from bot.wechat.replay import signed_url

log = logging.getLogger(__name__)


class WeChatGateway:
    def __init__(self, protocol: WeChatProtocol, conversation: Conversation, max_body: int,
                 body_timeout_s: float) -> None:
        self.protocol, self.conversation, self.max_body = protocol, conversation, max_body
        self.body_timeout_s = body_timeout_s

    async def handshake(self, request: web.Request) -> web.Response:
        try:
            echostr = self.protocol.echo(Envelope.from_query(request.query), request.query.get("echostr", ""))
        except Refused as refused:
            return _refusal(refused)
        return web.Response(text=echostr)

    async def receive(self, request: web.Request) -> web.Response:
        envelope = Envelope.from_query(request.query)
        try:
            self.protocol.verify(envelope)
            body = await self._body(request)
            msg = self.protocol.decode(envelope, body)
        except Refused as refused:
            return _refusal(refused)
        reply = await self.conversation.handle(msg, signed_url(envelope, body))
        if reply is Unanswered.REPLAYED:
            return _refusal(Refused(403, "signed URL replayed with another body"))
        if reply is Unanswered.RETRY:  # WeChat retries a 5xx (or silence past 5 s), never a 200
            return web.Response(status=503, text="temporarily unavailable, retry")
        return web.Response(text=self.protocol.encode(envelope, msg, reply), content_type="application/xml")

    async def _body(self, request: web.Request) -> bytes:
        if request.content_length is not None and request.content_length > self.max_body:
            raise Refused(413, "body too large")
        body = bytearray()
        try:
            async with asyncio.timeout(self.body_timeout_s):
                async for chunk in request.content.iter_chunked(16384):
                    body += chunk
                    if len(body) > self.max_body:
                        raise Refused(413, "body too large")
        except TimeoutError:
            raise Refused(408, "body too slow") from None
        return bytes(body)


def _refusal(refused: Refused) -> web.Response:
    log.info("refused callback: %s %s", refused.status, refused.reason)
    return web.Response(status=refused.status, text=refused.reason)
