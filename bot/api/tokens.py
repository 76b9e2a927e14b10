"""Our own session token for the mini program: signed, expiring, carrying only who the user is.

WeChat's session_key stays in Redis on the server (the phone-number and data-decryption
flows need it); the mini program only ever holds this token.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from bot.api import texts
from bot.api.errors import ApiError


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    openid: str


class Tokens:
    def __init__(self, secret: str, ttl_s: int, clock: Callable[[], float] = time.time) -> None:
        # the clock is a parameter so a test can hold a token issued days ago
        signer = type("ClockSigner", (TimestampSigner,), {"get_timestamp": lambda _self: int(clock())})
        self._serializer = URLSafeTimedSerializer(secret, salt="linli-wxa-session", signer=signer)
        self.ttl_s = ttl_s

    def issue(self, user_id: int, openid: str) -> str:
        return self._serializer.dumps({"u": user_id, "o": openid})

    def read(self, token: str) -> TokenClaims:
        try:
            data = self._serializer.loads(token, max_age=self.ttl_s)
        except SignatureExpired:
            raise ApiError(401, "token_expired", texts.EXPIRED_TOKEN) from None
        except BadSignature:
            raise ApiError(401, "bad_token", texts.BAD_TOKEN) from None
        if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("o"), str):
            raise ApiError(401, "bad_token", texts.BAD_TOKEN)
        return TokenClaims(data["u"], data["o"])
