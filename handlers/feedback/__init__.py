"""The resident's side of a handled request: 评价 and 需要帮助, in `actions` for every door and
in `chat` as words; named here for the route table."""
from handlers.feedback.chat import ask_for_help, rate

__all__ = ["ask_for_help", "rate"]
