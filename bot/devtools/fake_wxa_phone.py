"""The mini program's phone-number API for the fake WeChat server (`/wxa/business/getuserphonenumber`).

A separate module beside `fakewechat.py`: `add_phone_route(fake, app)` mounts it on the
fake's application. A code 'phone:<digits>' returns those digits; 'invalid' (or a used
code) is refused with WeChat's 40029; any other code maps to a stable 1380013xxxx number.
"""
from __future__ import annotations

import hashlib
import json
import time

from aiohttp import web

from bot.devtools.fakewechat import FakeWeChat


def add_phone_route(fake: FakeWeChat, app: web.Application) -> None:
    async def phone_number(request: web.Request) -> web.Response:
        error = fake._token_error(request)
        if error:
            return fake._answer("getuserphonenumber", *error)
        try:
            code = str(json.loads(await request.read() or b"{}").get("code", ""))
        except (ValueError, AttributeError):
            return fake._answer("getuserphonenumber", 47001, "data format error")
        if not code or code == "invalid" or f"phone:{code}" in fake.used_codes:
            return fake._answer("getuserphonenumber", 40029, "invalid code")
        fake.used_codes.add(f"phone:{code}")
        digits = code.split(":", 1)[1] if code.startswith("phone:") else \
            "1380013" + str(int(hashlib.sha1(code.encode()).hexdigest(), 16) % 10000).zfill(4)
        fake.record.append({"kind": "getuserphonenumber", "at": time.time(), "errcode": 0})
        return web.json_response({"errcode": 0, "errmsg": "ok", "phone_info": {
            "phoneNumber": digits, "purePhoneNumber": digits, "countryCode": "86",
            "watermark": {"timestamp": int(time.time()), "appid": fake.current and next(iter(fake.current))}}})

    app.router.add_post("/wxa/business/getuserphonenumber", phone_number)
