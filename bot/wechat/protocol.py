"""WeChat's callback protocol at the edge: signatures, safe-mode crypto, XML in and out.

Nothing here knows about tickets; it turns a request into an `Incoming` and a `Reply`
back into the XML WeChat expects (encrypted when the request was).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import struct
import time
from dataclasses import dataclass
from xml.parsers.expat import ExpatError

from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException, WeChatException
from wechatpy.replies import ArticlesReply, TextReply
from wechatpy.utils import WeChatSigner

from config.settings import Settings
from handlers.types import Incoming, Reply

# A DTD is how XML bombs and external entities get in; WeChat never sends one. It can only
# stand in the prolog (before the root element), among the declaration, PIs and comments;
# without it, any entity but the five predefined ones is a parse error. Text inside the
# message may mention "<!DOCTYPE" freely.
_PROLOG_ITEM = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)


class Refused(Exception):
    """A request we will not process; `status` is the HTTP answer (400, 403, 413)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Envelope:
    """The query parameters WeChat signs a callback with."""

    signature: str
    timestamp: str
    nonce: str
    encrypt_type: str = ""
    msg_signature: str = ""

    @classmethod
    def from_query(cls, query) -> Envelope:
        return cls(query.get("signature", ""), query.get("timestamp", ""), query.get("nonce", ""),
                   query.get("encrypt_type", "").lower(), query.get("msg_signature", ""))

    @property
    def encrypted(self) -> bool:
        return self.encrypt_type == "aes"


class WeChatProtocol:
    def __init__(self, settings: Settings) -> None:
        self.token = settings.wechat_token.get_secret_value()
        self.max_skew = settings.max_timestamp_skew_s
        aes_key = settings.wechat_aes_key.get_secret_value() if settings.wechat_aes_key else None
        self.crypto = WeChatCrypto(self.token, aes_key, settings.wechat_appid) if aes_key else None
        # With a key configured WeChat always encrypts (compat and safe mode); a plaintext
        # callback then is someone skipping the body's signature (msg_signature).
        self.plaintext_allowed = self.crypto is None or settings.wechat_allow_plaintext

    def verify(self, envelope: Envelope, now: float | None = None) -> None:
        """Refuse (403) a wrong or missing signature and a timestamp outside the replay window."""
        signer = WeChatSigner()
        signer.add_data(self.token, envelope.timestamp, envelope.nonce)
        if not envelope.signature or not hmac.compare_digest(signer.signature, envelope.signature):
            raise Refused(403, "bad signature")
        if not envelope.timestamp.isdecimal():
            raise Refused(403, "bad timestamp")
        if abs((now or time.time()) - int(envelope.timestamp)) > self.max_skew:
            raise Refused(403, "stale timestamp")

    def decode(self, envelope: Envelope, body: bytes) -> Incoming:
        xml = _safe_text(body)
        if not envelope.encrypted and not self.plaintext_allowed:
            raise Refused(403, "plaintext callback while an AES key is configured")
        if envelope.encrypted:
            if self.crypto is None:
                raise Refused(400, "encrypted message but no AES key configured")
            try:
                xml = _safe_text(self.crypto.decrypt_message(
                    xml, envelope.msg_signature, envelope.timestamp, envelope.nonce).encode())
            except InvalidSignatureException as exc:
                raise Refused(403, "bad msg_signature") from exc
            # another account's appid, an empty or truncated ciphertext, bad padding
            except (WeChatException, ExpatError, LookupError, ValueError, TypeError, struct.error) as exc:
                raise Refused(400, "undecryptable body") from exc
        try:
            message = parse_message(xml)
        except (ExpatError, KeyError, ValueError, TypeError, AttributeError) as exc:
            raise Refused(400, "malformed XML") from exc
        if message is None or not message.source:
            raise Refused(400, "not a WeChat message")
        if any(not isinstance(value, str) for value in message._data.values() if value is not None):
            raise Refused(400, "nested elements where WeChat sends text")
        return _incoming(message)

    def encode(self, envelope: Envelope, msg: Incoming, reply: Reply) -> str:
        """The reply as XML for WeChat; 'success' (show nothing) when there is nothing to say."""
        if not reply.text and not reply.articles:
            return "success"
        user, account = msg.openid, msg.account
        if reply.articles:
            out = ArticlesReply(source=account, target=user)
            for article in reply.articles[:8]:
                out.add_article({"title": article.title, "description": article.description,
                                 "image": article.image, "url": article.url})
        else:
            out = TextReply(source=account, target=user, content=reply.text)
        xml = out.render()
        if envelope.encrypted and self.crypto is not None:
            return self.crypto.encrypt_message(xml, envelope.nonce, envelope.timestamp)
        return xml

    def echo(self, envelope: Envelope, echostr: str) -> str:
        self.verify(envelope)
        return echostr


def _safe_text(body: bytes) -> str:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(400, "body is not UTF-8") from exc
    position = 0
    while item := _PROLOG_ITEM.match(text, position):
        position = item.end()
    rest = text[position:].lstrip()
    if rest.startswith("<!"):
        raise Refused(400, "DTD or entity declaration")
    if not rest.startswith("<"):
        raise Refused(400, "not XML")
    return text


def _incoming(message) -> Incoming:
    fields = message._data  # wechatpy keeps the parsed dict; reading it avoids a second parse
    kind = message.type if message.type != "unknown" else str(fields.get("MsgType", "unknown")).lower()
    is_event = kind == "event"
    if is_event:  # events carry no MsgId: WeChat's own advice is sender + CreateTime (+ which event)
        dedup = _bounded("ev:" + ":".join(str(fields.get(name) or "")
                                          for name in ("FromUserName", "CreateTime", "Event", "EventKey")))
    else:  # a MsgId is unique per sender only: another user's reused MsgId is another message
        dedup = _bounded(f"msg:{message.source}:{fields['MsgId']}") if fields.get("MsgId") else None
    return Incoming(
        openid=message.source, account=message.target or "", type=kind,
        content=str(fields.get("Content") or "") if kind == "text" else _recognition(kind, fields),
        event=str(fields.get("Event") or "").lower() if is_event else "",
        event_key=str(fields.get("EventKey") or "") if is_event else "",
        dedup_key=dedup,
        latitude=_float(fields.get("Location_X") or fields.get("Latitude")),
        longitude=_float(fields.get("Location_Y") or fields.get("Longitude")),
        label=str(fields.get("Label") or ""),
        media_url=str(fields.get("PicUrl") or fields.get("Url") or ""),
    )


def _bounded(key: str) -> str:
    """The key itself while it fits the source column (80), else a digest of it."""
    return key if len(key) <= 80 else "h:" + hashlib.sha256(key.encode()).hexdigest()


def _recognition(kind: str, fields: dict) -> str:
    """WeChat's speech-to-text of a voice message (when the account has it on), handled as text."""
    return str(fields.get("Recognition") or "").strip() if kind == "voice" else ""


def _float(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
