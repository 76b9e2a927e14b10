"""Settings and the data files (rules, dictionaries, sample organisation) Linli reads."""
from config.settings import Settings, get_settings

__all__ = ["Settings", "get_settings"]
