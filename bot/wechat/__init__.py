"""The WeChat callback door: signature, safe-mode crypto, replay guard, dedup, rate limit, pipeline."""
