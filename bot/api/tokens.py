"""Our own session token for the mini program: signed, expiring, carrying only who the user is.

WeChat's session_key stays in Redis on the server (the phone-number and data-decryption
flows need it); the mini program only ever holds this token.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from bot.api import texts
from bot.api.errors import ApiError


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    openid: str
    issued_at: datetime


def revoked(claims: TokenClaims, unfollowed_at: datetime | None) -> bool:
    """A token issued before the user's last unfollow is void: unfollowing ends the mini-program session."""
    return unfollowed_at is not None and claims.issued_at <= unfollowed_at


class Tokens:
    def __init__(self, secret: str, ttl_s: int, clock: Callable[[], float] = time.time) -> None:
        # the clock is a parameter so a test can hold a token issued days ago
        signer = type("ClockSigner", (TimestampSigner,), {"get_timestamp": lambda _self: int(clock())})
        self._clock = clock
        self._serializer = URLSafeTimedSerializer(secret, salt="linli-wxa-session", signer=signer)
        self.ttl_s = ttl_s

    def issue(self, user_id: int, openid: str) -> str:
        # "t": the issue time to the millisecond, so an unfollow and a new login in one second are told apart
        return self._serializer.dumps({"u": user_id, "o": openid, "t": int(self._clock() * 1000) / 1000})

    def read(self, token: str) -> TokenClaims:
        try:
            data, issued_at = self._serializer.loads(token, max_age=self.ttl_s, return_timestamp=True)
        except SignatureExpired:
            raise ApiError(401, "token_expired", texts.EXPIRED_TOKEN) from None
        except BadSignature:
            raise ApiError(401, "bad_token", texts.BAD_TOKEN) from None
        if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("o"), str):
            raise ApiError(401, "bad_token", texts.BAD_TOKEN)
        if isinstance(data.get("t"), (int, float)):
            issued_at = datetime.fromtimestamp(data["t"], UTC)
        return TokenClaims(data["u"], data["o"], issued_at)
