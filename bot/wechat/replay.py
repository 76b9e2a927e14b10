"""Refuse a signed callback URL used again with another body.

In plaintext mode WeChat's signature covers the token, timestamp and nonce but not the
body, so a captured URL could carry any message for the 5-minute replay window. Each
(timestamp, nonce, signature) is remembered with a hash of its body, first in Redis (the
guards' script, bot/wechat/guards.py) and again in SQL in the message's own transaction
(models/callbacks.py): WeChat's own retry (same body) passes and meets dedup; the same URL
with a different body is refused. Encrypted callbacks need neither: msg_signature covers
their body.
"""
from __future__ import annotations

import hashlib

from bot.wechat.guards import SignedUrl
from bot.wechat.protocol import Envelope


def signed_url(envelope: Envelope, body: bytes) -> SignedUrl | None:
    """What the replay guard checks for this callback; None when the signature covers the body."""
    if envelope.encrypted:
        return None
    return SignedUrl(envelope.timestamp, envelope.nonce, envelope.signature, hashlib.sha256(body).hexdigest())


def url_key(url: SignedUrl) -> str:
    return hashlib.sha256(f"{url.timestamp}:{url.nonce}:{url.signature}".encode()).hexdigest()
