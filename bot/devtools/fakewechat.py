"""A fake WeChat API on loopback that behaves like the real one where Linli depends on it.

There is no internet here, so tests, benchmarks and `make run` point wechatpy's real client
at this server (LINLI_WECHAT_API_BASE=http://127.0.0.1:<port>/cgi-bin/). It implements:
- `/cgi-bin/token`: tokens expire after `token_ttl_s`; fetching a new one leaves the previous
  one valid for `token_grace_s` more (as WeChat does), then 40001; an expired token is 42001.
- `/cgi-bin/message/template/send` and `/cgi-bin/message/custom/send`: 43004 for users who
  unfollowed, 45015 for customer-service messages outside the 48-hour window, 45009 above
  `rate_per_s`, 5xx on demand; template sends honour `client_msg_id` (WeChat's anti-replay id:
  the same openid + id within 10 minutes is accepted but delivered once).
- `/sns/jscode2session` for the mini program.
- `/_fake/...`: control and inspection (the record of everything received, a summary, faults).
"""
from __future__ import annotations

import hashlib
import itertools
import json
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field

from aiohttp import web

DEDUP_WINDOW_S = 600


@dataclass
class FakeConfig:
    apps: dict[str, str] = field(default_factory=dict)  # appid → secret; empty: accept any
    token_ttl_s: float = 7200
    token_grace_s: float = 300
    rate_per_s: int = 0  # sends per second before 45009; 0: unlimited
    window_s: float = 48 * 3600
    unknown_in_window: bool = True  # a user the fake has no interaction for is inside the window


@dataclass
class _Token:
    appid: str
    expires_at: float


class FakeWeChat:
    """The server's state. Tests in the same process read and steer it directly; other
    processes use the /_fake/ endpoints."""

    def __init__(self, config: FakeConfig | None = None) -> None:
        self.config = config or FakeConfig()
        self.tokens: dict[str, _Token] = {}
        self.current: dict[str, str] = {}  # appid → newest token
        self.record: list[dict] = []
        self.unfollowed: set[str] = set()
        self.interactions: dict[str, float] = {}  # openid → last time the user wrote to us
        self.fail_next = 0  # answer this many sends with HTTP 500
        self.rate_limited_next = 0  # answer this many sends with 45009 whatever the rate
        self.used_codes: set[str] = set()
        self._msgids = itertools.count(1000)
        self._replays: dict[tuple[str, str], tuple[int, float]] = {}
        self._second, self._sent_this_second = 0, 0

    # inspection -------------------------------------------------------------------------
    def delivered(self, kind: str | None = None) -> list[dict]:
        """What users actually saw: accepted sends that were not replays."""
        return [entry for entry in self.record if entry.get("delivered") and (kind is None or entry["kind"] == kind)]

    def summary(self) -> dict:
        delivered = self.delivered()
        per_user = Counter((entry["kind"], entry["touser"]) for entry in delivered)
        return {"received": len(self.record), "delivered": len(delivered),
                "delivered_by_kind": dict(Counter(entry["kind"] for entry in delivered)),
                "users": len(per_user), "users_with_duplicates": sum(1 for n in per_user.values() if n > 1),
                "errors": dict(Counter(str(entry["errcode"]) for entry in self.record if entry.get("errcode"))),
                "replays": sum(1 for entry in self.record if entry.get("replay")),
                "first_delivered_at": delivered[0]["at"] if delivered else None,
                "last_delivered_at": delivered[-1]["at"] if delivered else None,
                "tokens_issued": sum(1 for entry in self.record if entry["kind"] == "token")}

    def expire_tokens(self) -> None:
        for token in self.tokens.values():
            token.expires_at = min(token.expires_at, time.time() - 1)

    # token --------------------------------------------------------------------------------
    async def token(self, request: web.Request) -> web.Response:
        appid, secret = request.query.get("appid", ""), request.query.get("secret", "")
        if request.query.get("grant_type") != "client_credential":
            return self._answer("token", 40002, "invalid grant_type")
        if not self._credentials_ok(appid, secret):
            return self._answer("token", 40001, "invalid appsecret", appid=appid)
        now = time.time()
        previous = self.current.get(appid)
        if previous in self.tokens:
            self.tokens[previous].expires_at = min(self.tokens[previous].expires_at, now + self.config.token_grace_s)
        token = f"FAKE{secrets.token_hex(16)}"
        self.tokens[token] = _Token(appid, now + self.config.token_ttl_s)
        self.current[appid] = token
        self.record.append({"kind": "token", "appid": appid, "at": now, "errcode": 0})
        return web.json_response({"access_token": token, "expires_in": int(self.config.token_ttl_s)})

    def _credentials_ok(self, appid: str, secret: str) -> bool:
        if not self.config.apps:
            return bool(appid and secret)
        return self.config.apps.get(appid) == secret

    def _token_error(self, request: web.Request) -> tuple[int, str] | None:
        token = self.tokens.get(request.query.get("access_token", ""))
        if token is None:
            return 40001, "invalid credential, access_token is invalid or not latest"
        if token.expires_at < time.time():
            if self.current.get(token.appid) == request.query.get("access_token"):
                return 42001, "access_token expired"
            return 40001, "invalid credential, access_token is invalid or not latest"
        return None

    # sends --------------------------------------------------------------------------------
    async def template_send(self, request: web.Request) -> web.StreamResponse:
        return await self._send(request, "template")

    async def custom_send(self, request: web.Request) -> web.StreamResponse:
        return await self._send(request, "custom")

    async def _send(self, request: web.Request, kind: str) -> web.StreamResponse:
        body = json.loads(await request.read() or b"{}")
        touser = body.get("touser", "")
        entry = {"kind": kind, "touser": touser, "at": time.time(), "body": body}
        if self.fail_next > 0:
            self.fail_next -= 1
            self.record.append({**entry, "errcode": 500})
            return web.Response(status=500, text="Internal Server Error")
        error = self._token_error(request) or self._refusal(kind, body, touser)
        if error:
            self.record.append({**entry, "errcode": error[0]})
            return web.json_response({"errcode": error[0], "errmsg": error[1]})
        fresh = next(self._msgids)
        replay = self._replay_of(kind, touser, body.get("client_msg_id"), fresh)
        msgid = fresh if replay is None else replay
        self.record.append({**entry, "errcode": 0, "msgid": msgid, "delivered": replay is None,
                            "replay": replay is not None})
        return web.json_response({"errcode": 0, "errmsg": "ok", "msgid": msgid})

    def _refusal(self, kind: str, body: dict, touser: str) -> tuple[int, str] | None:
        if not touser:
            return 40003, "invalid openid"
        if self._over_rate():
            return 45009, "reach max api daily quota limit"
        if touser in self.unfollowed:
            return 43004, "require subscribe"
        if kind == "template" and not body.get("template_id"):
            return 40037, "invalid template_id"
        if kind == "custom" and not self._in_window(touser):
            return 45015, "response out of time limit or subscription is canceled"
        return None

    def _over_rate(self) -> bool:
        if self.rate_limited_next > 0:
            self.rate_limited_next -= 1
            return True
        if not self.config.rate_per_s:
            return False
        second = int(time.time())
        if second != self._second:
            self._second, self._sent_this_second = second, 0
        self._sent_this_second += 1
        return self._sent_this_second > self.config.rate_per_s

    def _in_window(self, openid: str) -> bool:
        seen = self.interactions.get(openid)
        if seen is None:
            return self.config.unknown_in_window
        return time.time() - seen <= self.config.window_s

    def _replay_of(self, kind: str, touser: str, client_msg_id: str | None, msgid: int) -> int | None:
        """The msgid of an earlier send with the same anti-replay id within its window, else
        None (and this send, `msgid`, becomes the one later replays point to)."""
        if kind != "template" or not client_msg_id:
            return None
        now = time.time()
        earlier = self._replays.get((touser, client_msg_id))
        if earlier and now - earlier[1] < DEDUP_WINDOW_S:
            return earlier[0]
        self._replays[(touser, client_msg_id)] = (msgid, now)
        return None

    # mini program -------------------------------------------------------------------------
    async def code_to_session(self, request: web.Request) -> web.Response:
        """`js_code` 'openid:<x>' logs in as openid x; any other code maps to a stable openid."""
        query = request.query
        if query.get("grant_type") != "authorization_code":
            return self._answer("jscode2session", 40002, "invalid grant_type")
        if not self._credentials_ok(query.get("appid", ""), query.get("secret", "")):
            return self._answer("jscode2session", 40125, "invalid appsecret")
        code = query.get("js_code", "")
        if not code or code == "invalid":
            return self._answer("jscode2session", 40029, "invalid code")
        if code in self.used_codes:
            return self._answer("jscode2session", 40163, "code been used")
        self.used_codes.add(code)
        openid = code.split(":", 1)[1] if code.startswith("openid:") else \
            "o" + hashlib.sha1(f"{query['appid']}:{code}".encode()).hexdigest()[:27]
        self.record.append({"kind": "jscode2session", "touser": openid, "at": time.time(), "errcode": 0})
        return web.json_response({"openid": openid, "session_key": secrets.token_urlsafe(16)})

    def _answer(self, kind: str, errcode: int, errmsg: str, **extra) -> web.Response:
        self.record.append({"kind": kind, "at": time.time(), "errcode": errcode, **extra})
        return web.json_response({"errcode": errcode, "errmsg": errmsg})

    # control ------------------------------------------------------------------------------
    async def control(self, request: web.Request) -> web.Response:
        """POST /_fake/control {"unfollow": [...], "follow": [...], "interactions": {openid: epoch},
        "fail_next": n, "rate_limited_next": n, "rate_per_s": n, "expire_tokens": true, "reset": true}."""
        order = await request.json()
        if order.get("reset"):
            self.record.clear()
        self.unfollowed |= set(order.get("unfollow", []))
        self.unfollowed -= set(order.get("follow", []))
        self.interactions.update(order.get("interactions", {}))
        self.fail_next += int(order.get("fail_next", 0))
        self.rate_limited_next += int(order.get("rate_limited_next", 0))
        if "rate_per_s" in order:
            self.config.rate_per_s = int(order["rate_per_s"])
        if order.get("expire_tokens"):
            self.expire_tokens()
        return web.json_response({"ok": True})

    async def show_record(self, request: web.Request) -> web.Response:
        since = int(request.query.get("since", 0))
        return web.json_response(self.record[since:])

    async def show_summary(self, request: web.Request) -> web.Response:
        return web.json_response(self.summary())

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self.token)
        app.router.add_post("/cgi-bin/message/template/send", self.template_send)
        app.router.add_post("/cgi-bin/message/custom/send", self.custom_send)
        app.router.add_get("/sns/jscode2session", self.code_to_session)
        app.router.add_post("/_fake/control", self.control)
        app.router.add_get("/_fake/record", self.show_record)
        app.router.add_get("/_fake/summary", self.show_summary)
        return app
