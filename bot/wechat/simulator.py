"""Talk to a running Linli as WeChat would: signed (optionally encrypted) XML over HTTP.

Used by `linli chat`, the end-to-end tests and the benchmarks, so all three exercise
exactly the path real WeChat traffic takes.
"""
from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import aiohttp
import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

_msg_ids = itertools.count(int(time.time() * 1000) * 1000 + secrets.randbelow(1000))


@dataclass
class WeChatSender:
    """Builds and sends callbacks for one official account. `mode`: plain, compat or safe."""

    url: str
    token: str
    appid: str = "wxlinlidev0000000"
    aes_key: str | None = None
    mode: str = "plain"
    account: str = "gh_linli"
    _crypto: WeChatCrypto | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.mode not in ("plain", "compat", "safe"):
            raise ValueError("mode must be plain, compat or safe")
        if self.mode != "plain":
            if not self.aes_key:
                raise ValueError("compat and safe mode need the AES key")
            self._crypto = WeChatCrypto(self.token, self.aes_key, self.appid)

    def text_xml(self, openid: str, content: str, msg_id: int | None = None, create_time: int | None = None) -> str:
        return self._xml(openid, "text", create_time,
                         f"<Content><![CDATA[{_cdata(content)}]]></Content><MsgId>{msg_id or next(_msg_ids)}</MsgId>")

    def event_xml(self, openid: str, event: str, key: str = "", create_time: int | None = None) -> str:
        return self._xml(openid, "event", create_time,
                         f"<Event><![CDATA[{event}]]></Event><EventKey><![CDATA[{key}]]></EventKey>")

    def location_xml(self, openid: str, lat: float, lng: float, label: str = "") -> str:
        return self._xml(openid, "location", None,
                         f"<Location_X>{lat}</Location_X><Location_Y>{lng}</Location_Y><Scale>16</Scale>"
                         f"<Label><![CDATA[{escape(label)}]]></Label><MsgId>{next(_msg_ids)}</MsgId>")

    def media_xml(self, openid: str, kind: str) -> str:
        return self._xml(openid, kind, None,
                         f"<PicUrl><![CDATA[http://127.0.0.1/x.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId>"
                         f"<MsgId>{next(_msg_ids)}</MsgId>")

    def voice_xml(self, openid: str, recognition: str, msg_id: int | None = None) -> str:
        """A voice message as WeChat sends it with speech recognition on (Recognition: the words)."""
        return self._xml(openid, "voice", None,
                         f"<MediaId><![CDATA[v1]]></MediaId><Format><![CDATA[amr]]></Format>"
                         f"<Recognition><![CDATA[{_cdata(recognition)}]]></Recognition>"
                         f"<MsgId>{msg_id or next(_msg_ids)}</MsgId>")

    def _xml(self, openid: str, kind: str, create_time: int | None, inner: str) -> str:
        return (f"<xml><ToUserName><![CDATA[{self.account}]]></ToUserName>"
                f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
                f"<CreateTime>{create_time or int(time.time())}</CreateTime>"
                f"<MsgType><![CDATA[{kind}]]></MsgType>{inner}</xml>")

    def sign(self, xml: str, timestamp: int | None = None) -> tuple[dict[str, str], str]:
        """The query string and body WeChat would send for `xml`."""
        timestamp_s = str(timestamp or int(time.time()))
        nonce = secrets.token_hex(5)
        signer = WeChatSigner()
        signer.add_data(self.token, timestamp_s, nonce)
        query = {"signature": signer.signature, "timestamp": timestamp_s, "nonce": nonce,
                 "openid": _openid_of(xml)}
        if self._crypto is None:
            return query, xml
        encrypted = xmltodict.parse(self._crypto.encrypt_message(xml, nonce, timestamp_s))["xml"]
        query.update(encrypt_type="aes", msg_signature=encrypted["MsgSignature"])
        body = f"<xml><ToUserName><![CDATA[{self.account}]]></ToUserName><Encrypt><![CDATA[{encrypted['Encrypt']}]]></Encrypt></xml>"
        if self.mode == "compat":  # compat mode carries the plaintext fields beside the ciphertext
            body = xml[:-len("</xml>")] + f"<Encrypt><![CDATA[{encrypted['Encrypt']}]]></Encrypt></xml>"
        return query, body

    def read_reply(self, query: dict[str, str], body: str) -> str:
        """The text (or article titles) a user would see; '' when the server said nothing."""
        if not body or body == "success":
            return ""
        data = xmltodict.parse(body)["xml"]
        if "Encrypt" in data and self._crypto is not None:
            data = xmltodict.parse(self._crypto.decrypt_message(
                body, data["MsgSignature"], data["TimeStamp"], data["Nonce"]))["xml"]
        if data.get("MsgType") == "news":
            items = data["Articles"]["item"]
            items = items if isinstance(items, list) else [items]
            return "\n".join(f"【{item['Title']}】{item.get('Description') or ''}" for item in items)
        return data.get("Content") or ""

    async def post(self, http: aiohttp.ClientSession, xml: str) -> tuple[int, str]:
        """Send one callback; (HTTP status, what the user sees or the error body)."""
        query, body = self.sign(xml)
        async with http.post(self.url, params=query, data=body.encode(),
                             headers={"Content-Type": "text/xml"}) as response:
            text = await response.text()
            return response.status, self.read_reply(query, text) if response.status == 200 else text


def _openid_of(xml: str) -> str:
    start = xml.find("<FromUserName><![CDATA[") + len("<FromUserName><![CDATA[")
    return xml[start:xml.find("]]>", start)]


def _cdata(text: str) -> str:
    """Text safe inside CDATA: a literal ]]> is split across two sections."""
    return text.replace("]]>", "]]]]><![CDATA[>")
