"""The terminal chat simulator behind `linli chat`: type as a resident, see the bot's replies."""
from __future__ import annotations

import argparse
import sys

import aiohttp

from bot.wechat.simulator import WeChatSender
from config.settings import Settings

PROMPT = "你> "
COMMANDS = {"/关注": ("event", "subscribe"), "/取关": ("event", "unsubscribe"),
            "/图片": ("media", "image"), "/语音": ("media", "voice")}


async def run_chat(args: argparse.Namespace, settings: Settings) -> int:
    aes_key = settings.wechat_aes_key.get_secret_value() if settings.wechat_aes_key else None
    if args.mode != "plain" and not aes_key:
        print(f"{args.mode} 模式需要加密密钥：请为服务端和本命令设置同一个 LINLI_WECHAT_AES_KEY（43 位）。",
              file=sys.stderr)
        return 2
    sender = WeChatSender(url=args.url, token=settings.wechat_token.get_secret_value(),
                          appid=settings.wechat_appid, aes_key=aes_key, mode=args.mode)
    interactive = sys.stdin.isatty()
    if interactive:
        print(f"以 {args.openid} 的身份与邻里对话（{args.mode} 模式）。/关注 /取关 /图片 /语音 [识别文字] /位置 纬度 经度；Ctrl-D 退出。")
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                line = input(PROMPT if interactive else "")
            except EOFError:
                return 0
            if not line.strip():
                continue
            if not interactive:
                print(f"{PROMPT}{line}")
            status, shown = await sender.post(http, _xml_for(sender, args.openid, line.strip()))
            print(f"邻里> {shown}" if status == 200 else f"[HTTP {status}] {shown}", flush=True)


def _xml_for(sender: WeChatSender, openid: str, line: str) -> str:
    if line in COMMANDS:
        kind, value = COMMANDS[line]
        return sender.event_xml(openid, value) if kind == "event" else sender.media_xml(openid, value)
    if line.startswith("/语音 "):  # a voice message with WeChat's speech recognition
        return sender.voice_xml(openid, line.removeprefix("/语音 ").strip())
    if line.startswith("/位置"):
        parts = line.split()
        lat, lng = (float(parts[1]), float(parts[2])) if len(parts) == 3 else (29.5302, 106.5731)
        return sender.location_xml(openid, lat, lng)
    return sender.text_xml(openid, line)
