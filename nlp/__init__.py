"""Sorting residents' requests: jieba tokens and readable rules from config/nlp/.

``classify(text)`` returns department, topic, 三事分流 kind, urgency, places,
confidence and the reasons; nothing here knows WeChat, the database or handlers.
"""

from nlp.classify import Classification, Place, classify, load, reload
from nlp.loader import RuleError

__all__ = ["Classification", "Place", "RuleError", "classify", "load", "reload"]
