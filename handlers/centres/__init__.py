"""The red map and room booking: `actions` for every door, `chat` the LOCATION / 服务中心 reply."""
from handlers.centres.chat import nearby

__all__ = ["nearby"]
