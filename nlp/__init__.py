"""Sorting residents' requests: jieba tokens and readable rules from config/nlp/.

``classify(text)`` returns department, topic, 三事分流 kind, urgency, places,
confidence and the reasons; nothing here knows WeChat, the database or handlers.
"""

from nlp.classify import Classification, Place, answer_bank_fallback, classify, load, reload
from nlp.intent import CHAT, QUESTION, REQUEST
from nlp.loader import RuleError

__all__ = ["CHAT", "QUESTION", "REQUEST", "Classification", "Place", "RuleError", "answer_bank_fallback",
           "classify", "load", "reload"]
