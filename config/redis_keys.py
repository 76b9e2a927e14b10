"""Every Redis key name, listed once, under one prefix so deployments and test runs can share a Redis.

Call sites use the named methods below; `__call__` only joins the parts. Everything under
these keys can be rebuilt or may be lost (SQL is the truth), see the README.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str

    def __call__(self, *parts: object) -> str:
        return self.prefix + ":".join(str(part) for part in parts)

    # the WeChat callback's guards (bot/wechat/)
    def dedup(self, dedup_key: str) -> str:
        """One incoming message: a short lease while it is handled, then the reply for retries."""
        return self("dedup", dedup_key)

    def callback_seen(self, timestamp: str, nonce: str, signature: str) -> str:
        """A signed callback URL within its replay window; holds the digest of its body."""
        return self("seen", timestamp, nonce, signature)

    def rate_window(self, scope: str, who: str, minute: int) -> str:
        """Messages `who` sent in one clock minute (per scope: chat, api)."""
        return self("rate", scope, who, minute)

    # conversations (handlers/)
    def dialog(self, openid: str) -> str:
        """A user's open multi-step dialog (e.g. the member kind after 报到)."""
        return self("dialog", openid)

    def notice_draft(self, openid: str) -> str:
        """A staff member's notice preview waiting for 确认."""
        return self("notice", "draft", openid)

    def tasks_page(self, openid: str) -> str:
        """Where 更多 continues a member's task list."""
        return self("tasks_page", openid)

    # the outbound worker (bot/outbound/)
    @property
    def outbound_stream(self) -> str:
        return self("outbound", "stream")

    @property
    def outbound_delayed(self) -> str:
        """Retries waiting, scored by due time."""
        return self("outbound", "delayed")

    @property
    def outbound_epoch(self) -> str:
        """Gone when Redis restarted empty: the sweeper then puts every pending row back."""
        return self("outbound", "epoch")

    @property
    def outbound_wake(self) -> str:
        return self("outbound", "wake")

    @property
    def outbound_workers(self) -> str:
        """Live workers' heartbeats (consumer -> epoch seconds), so `notice send` knows one runs."""
        return self("outbound", "workers")

    def outbound_lock(self, row_id: int | str) -> str:
        """One outbound row held by one consumer while it sends."""
        return self("outbound", "lock", row_id)

    @property
    def outbound_sweep_lock(self) -> str:
        return self("outbound", "sweep-lock")

    @property
    def outbound_bucket(self) -> str:
        """The token bucket shared by every worker (sends per second)."""
        return self("outbound", "bucket")

    @property
    def outbound_pause(self) -> str:
        """Set while WeChat answered 45009 (rate limit): every worker waits."""
        return self("outbound", "pause")

    # access tokens and sessions of the WeChat APIs
    @property
    def wechat_tokens(self) -> str:
        """wechatpy's own key prefix for the official account's access token."""
        return self("wechat")

    @property
    def wechat_token_lock(self) -> str:
        return self("wechat", "token-lock")

    @property
    def wxa_tokens(self) -> str:
        """wechatpy's key prefix for the mini program's access token."""
        return self("wechatpy", "wxa")

    def wxa_session_key(self, openid: str) -> str:
        return self("wxa", "session_key", openid)

    # the staff console (bot/console/)
    def console_session(self, sid: str) -> str:
        return self("console", "session", sid)

    def login_failures(self, username: str, address: str) -> str:
        """Wrong console passwords for one username from one client address."""
        return self("console", "failures", username, address)
