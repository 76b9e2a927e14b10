"""订阅 / 退订: `actions` for every door, `chat` the text grammar (named here for the route table)."""
from handlers.subscriptions.chat import mine, subscribe, unsubscribe

__all__ = ["mine", "subscribe", "unsubscribe"]
