"""Naming of every Redis key, under one prefix so deployments and test runs can share a Redis."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str

    def __call__(self, *parts: object) -> str:
        return self.prefix + ":".join(str(part) for part in parts)

    def callback_seen(self, timestamp: str, nonce: str, signature: str) -> str:
        """A signed callback URL within its replay window; holds the digest of its body."""
        return self("seen", timestamp, nonce, signature)

    def dedup(self, dedup_key: str) -> str:
        """One incoming message: a short lease while it is handled, then the reply for retries."""
        return self("dedup", dedup_key)

    def rate_window(self, scope: str, who: str, minute: int) -> str:
        """Messages `who` sent in one clock minute (per scope: chat, api)."""
        return self("rate", scope, who, minute)

    def login_failures(self, username: str, address: str) -> str:
        """Wrong console passwords for one username from one client address."""
        return self("console", "failures", username, address)
