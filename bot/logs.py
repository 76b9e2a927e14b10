"""Logging set-up: one masked format for every process (personal data and URL secrets never logged whole)."""
from __future__ import annotations

import logging
import re

from handlers.masking import mask_text

_URL_SECRET = re.compile(r"((?:secret|access_token|appsecret|js_code|code)=)[^&\s'\"]+", re.IGNORECASE)


def mask_log_text(text: str) -> str:
    """Phone numbers and URL secrets (AppSecret, access tokens, login codes) masked."""
    return _URL_SECRET.sub(r"\1***", mask_text(text))


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted record, tracebacks included (driver errors quote parameters)."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_log_text(super().format(record))


# Loggers that quote SQL statement parameters or result rows (names, openids, residents' texts)
# at DEBUG or INFO: held at WARNING whatever LINLI_LOG_LEVEL says. Errors still come through.
QUIET_LOGGERS = ("sqlalchemy", "aiosqlite", "asyncpg", "alembic.runtime.plugins")


def setup_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
