"""Naming of every Redis key, under one prefix so deployments and test runs can share a Redis."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str

    def __call__(self, *parts: object) -> str:
        return self.prefix + ":".join(str(part) for part in parts)
