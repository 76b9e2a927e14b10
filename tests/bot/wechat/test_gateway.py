"""The WeChat callback over HTTP: handshake, the three crypto modes, bad input, retries."""
from __future__ import annotations

import asyncio
import time

import pytest

from bot.wechat.simulator import WeChatSender
from models.tickets import Ticket
from tests.conftest import AES_KEY, APPID, TOKEN
from tests.helpers import count, stored_rows, tickets

REQUEST = "3号楼楼道灯坏了一周了"


@pytest.mark.parametrize("mode", ["plain", "compat", "safe"])
async def test_request_in_each_crypto_mode_gets_a_ticket(client, seeded, mode):
    sender = WeChatSender(str(client.make_url("/wechat")), TOKEN, APPID, AES_KEY, mode=mode)
    status, shown = await sender.post(client.session, sender.text_xml("o_mode_user", REQUEST))
    assert status == 200
    [ticket] = await tickets(seeded)
    assert f"编号 {ticket.id}" in shown
    assert ticket.text == REQUEST and ticket.source_msg_id


async def test_safe_mode_reply_is_encrypted(client, sender):
    sender.mode = "safe"
    sender.__post_init__()
    query, body = sender.sign(sender.text_xml("o_enc", "帮助"))
    response = await client.post("/wechat", params=query, data=body.encode())
    raw = await response.text()
    assert "<Encrypt>" in raw and "帮助" not in raw
    assert "邻里可以帮您" in sender.read_reply(query, raw)


async def test_handshake_echoes_only_with_a_valid_signature(client, sender):
    query, _ = sender.sign("<xml/>")
    ok = await client.get("/wechat", params={**query, "echostr": "hello123"})
    assert ok.status == 200 and await ok.text() == "hello123"
    bad = await client.get("/wechat", params={**query, "signature": "0" * 40, "echostr": "x"})
    assert bad.status == 403


async def _assert_refused(client, sender, seeded, status: int, query: dict, body: bytes) -> None:
    before = await stored_rows(seeded)
    response = await client.post("/wechat", params=query, data=body)
    assert response.status == status
    assert await stored_rows(seeded) == before
    ok_status, shown = await sender.post(client.session, sender.text_xml("o_after_bad", "帮助"))
    assert ok_status == 200 and "邻里可以帮您" in shown


async def test_wrong_signature_is_refused(client, sender, seeded):
    query, body = sender.sign(sender.text_xml("o_bad", REQUEST))
    await _assert_refused(client, sender, seeded, 403, {**query, "signature": "f" * 40}, body.encode())


async def test_missing_signature_is_refused(client, sender, seeded):
    query, body = sender.sign(sender.text_xml("o_bad", REQUEST))
    query.pop("signature")
    await _assert_refused(client, sender, seeded, 403, query, body.encode())


async def test_stale_timestamp_is_refused_as_replay(client, sender, seeded):
    query, body = sender.sign(sender.text_xml("o_old", REQUEST), timestamp=int(time.time()) - 600)
    await _assert_refused(client, sender, seeded, 403, query, body.encode())


async def test_wrong_msg_signature_in_safe_mode_is_refused(client, sender, seeded):
    sender.mode = "safe"
    sender.__post_init__()
    query, body = sender.sign(sender.text_xml("o_bad", REQUEST))
    await _assert_refused(client, sender, seeded, 403, {**query, "msg_signature": "0" * 40}, body.encode())


async def test_enormous_body_is_refused(client, sender, seeded, settings):
    query, _ = sender.sign("<xml/>")
    body = sender.text_xml("o_big", "灯" * settings.max_body_bytes).encode()
    await _assert_refused(client, sender, seeded, 413, query, body)


@pytest.mark.parametrize("body", [
    b"<xml><ToUserName>broken",
    b"not xml at all",
    b"\xff\xfe<\x00x\x00",
    b"<xml><MsgType>text</MsgType></xml>",
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    b"<xml><FromUserName>&lol2;</FromUserName><MsgType>text</MsgType></xml>",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<xml><FromUserName>o_x</FromUserName><MsgType>text</MsgType><Content>&xxe;</Content></xml>",
], ids=["truncated", "not-xml", "utf16", "no-sender", "xml-bomb", "external-entity"])
async def test_hostile_or_broken_xml_is_refused(client, sender, seeded, body):
    query, _ = sender.sign("<xml/>")
    await _assert_refused(client, sender, seeded, 400, query, body)


async def test_retry_storm_creates_one_ticket_and_same_reply(client, sender, seeded):
    xml = sender.text_xml("o_retry", REQUEST, msg_id=987654321)
    results = await asyncio.gather(*(sender.post(client.session, xml) for _ in range(3)))
    assert await count(seeded, Ticket) == 1
    shown = {text for status, text in results if status == 200 and text}
    assert len(shown) == 1 and "编号 1" in shown.pop()


async def test_retry_after_redis_forgot_still_one_ticket(client, sender, seeded):
    xml = sender.text_xml("o_retry2", REQUEST, msg_id=123123123)
    first = await sender.post(client.session, xml)
    keys = [key async for key in seeded.redis.scan_iter(match=seeded.keys.dedup("*"))]
    await seeded.redis.delete(*keys)  # as after a Redis restart without persistence
    second = await sender.post(client.session, xml)
    assert await count(seeded, Ticket) == 1
    assert first == second


async def test_healthz_reports_both_stores(client):
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"ok": True, "database": True, "schema": True, "redis": True}


async def test_rate_limit_answers_politely_and_stores_nothing(backend, seeded):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import create_app
    from tests.conftest import make_settings

    app = create_app(make_settings(backend, rate_limit_per_minute=2), seeded)
    app.on_cleanup.clear()
    async with TestClient(TestServer(app)) as limited:
        sender = WeChatSender(str(limited.make_url("/wechat")), TOKEN, APPID, AES_KEY)
        messages = [sender.text_xml("o_fast", f"{n}号楼灯坏了") for n in (1, 2, 3)]
        shown = [(await sender.post(limited.session, xml))[1] for xml in messages]
        retried = (await sender.post(limited.session, messages[2]))[1]  # WeChat retrying the third
    assert "稍等一分钟" in shown[2] and retried == shown[2]
    assert await count(seeded, Ticket) == 2


@pytest.mark.parametrize("inner", ["<MsgType><a/></MsgType>", "<MsgType>event</MsgType><Event><x/></Event>"],
                         ids=["nested-type", "nested-event"])
async def test_nested_elements_where_text_belongs_are_refused(client, sender, seeded, inner):
    body = f"<xml><ToUserName>gh</ToUserName><FromUserName>o_n</FromUserName><CreateTime>1</CreateTime>{inner}</xml>"
    query, _ = sender.sign("<xml/>")
    await _assert_refused(client, sender, seeded, 400, query, body.encode())


async def test_a_signed_url_replayed_with_another_body_is_refused(client, sender, seeded):
    query, body = sender.sign(sender.text_xml("o_victim", "3号楼楼道灯坏了"))
    assert (await client.post("/wechat", params=query, data=body.encode())).status == 200
    assert (await client.post("/wechat", params=query, data=body.encode())).status == 200  # WeChat's retry
    forged = sender.text_xml("o_staff_forged", "通知 全区 假通知|假的")
    await _assert_refused(client, sender, seeded, 403, query, forged.encode())


async def test_plaintext_is_refused_when_an_aes_key_is_configured(backend, seeded):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import create_app
    from tests.conftest import make_settings

    app = create_app(make_settings(backend, wechat_allow_plaintext=False), seeded)
    app.on_cleanup.clear()
    async with TestClient(TestServer(app)) as strict:
        url = str(strict.make_url("/wechat"))
        plain = WeChatSender(url, TOKEN, APPID, AES_KEY, mode="plain")
        status, _ = await plain.post(strict.session, plain.text_xml("o_plain", REQUEST))
        assert status == 403
        safe = WeChatSender(url, TOKEN, APPID, AES_KEY, mode="safe")
        status, shown = await safe.post(strict.session, safe.text_xml("o_safe", REQUEST))
        assert status == 200 and "编号" in shown
    assert await count(seeded, Ticket) == 1


def test_two_menu_clicks_in_one_second_are_two_messages(settings, sender):
    from bot.wechat.protocol import Envelope, WeChatProtocol

    protocol, moment = WeChatProtocol(settings), int(time.time())
    keys = {protocol.decode(Envelope("", "", ""), sender.event_xml("o_menu", "CLICK", key, create_time=moment)
                            .encode()).dedup_key for key in ("NEWS", "HELP")}
    assert len(keys) == 2


def _safe_body(sender: WeChatSender, ciphertext: str) -> tuple[dict, bytes]:
    """A safe-mode callback whose msg_signature is right for `ciphertext`, whatever it holds."""
    from wechatpy.utils import WeChatSigner

    query, _ = sender.sign("<xml/>")
    signer = WeChatSigner()
    signer.add_data(TOKEN, query["timestamp"], query["nonce"], ciphertext)
    query.update(encrypt_type="aes", msg_signature=signer.signature)
    return query, f"<xml><ToUserName><![CDATA[gh]]></ToUserName><Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>".encode()


def _other_account_ciphertext(sender: WeChatSender) -> str:
    import xmltodict
    from wechatpy.crypto import WeChatCrypto

    other = WeChatCrypto(TOKEN, AES_KEY, "wxsomeotheraccount")
    return xmltodict.parse(other.encrypt_message(sender.text_xml("o_other", REQUEST), "n", "1"))["xml"]["Encrypt"]


@pytest.mark.parametrize("ciphertext", ["other-appid", "", "random-16"])
async def test_a_signed_but_undecryptable_safe_mode_body_is_refused(client, sender, seeded, ciphertext):
    import base64
    import os

    text = {"other-appid": _other_account_ciphertext(sender), "": "",
            "random-16": base64.b64encode(os.urandom(16)).decode()}[ciphertext]
    query, body = _safe_body(sender, text)
    await _assert_refused(client, sender, seeded, 400, query, body)


async def test_a_resident_may_write_doctype_in_a_message(client, sender, seeded):
    text = "网页上显示 <!DOCTYPE html> 和 <!ENTITY 之类的乱码，3号楼公告屏坏了"
    status, shown = await sender.post(client.session, sender.text_xml("o_doctype", text))
    assert status == 200 and "编号 1" in shown
    assert [t.text for t in await tickets(seeded)] == [text]


async def test_a_body_sent_too_slowly_is_timed_out(backend, seeded):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import create_app
    from tests.conftest import make_settings

    app = create_app(make_settings(backend, body_timeout_s=0.5), seeded)
    app.on_cleanup.clear()
    async with TestClient(TestServer(app)) as slow:
        sender = WeChatSender(str(slow.make_url("/wechat")), TOKEN, APPID, AES_KEY)
        query, body = sender.sign(sender.text_xml("o_slow", REQUEST))

        async def trickle():
            for byte in body.encode():
                yield bytes([byte])
                await asyncio.sleep(0.05)

        response = await slow.post("/wechat", params=query, data=trickle())
        assert response.status == 408
    assert await count(seeded, Ticket) == 0


async def test_slow_headers_are_timed_out_by_serve(backend, seeded):
    from tests.conftest import ServerProcess

    server = ServerProcess(backend, LINLI_HTTP_HEADER_TIMEOUT_S="1").start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"POST /wechat HTTP/1.1\r\nHost: x\r\n")  # and then nothing more
        await writer.drain()
        closed_after = time.monotonic()
        assert await asyncio.wait_for(reader.read(), 10) == b""  # the server hung up
        assert time.monotonic() - closed_after < 5
        writer.close()
    finally:
        server.stop()
