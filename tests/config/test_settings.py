"""Settings come from LINLI_* variables and never show their secrets."""
from __future__ import annotations

from config.settings import Settings


def test_environment_variables_configure_linli(monkeypatch, tmp_path):
    monkeypatch.setenv("LINLI_WECHAT_TOKEN", "tok-from-env")
    monkeypatch.setenv("LINLI_WECHAT_AES_KEY", "k" * 43)
    monkeypatch.setenv("LINLI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LINLI_REDIS_URL", "redis://127.0.0.1:6379/3")
    settings = Settings()
    assert settings.wechat_token.get_secret_value() == "tok-from-env"
    assert settings.redis_url == "redis://127.0.0.1:6379/3"
    assert settings.resolved_database_url() == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'linli.sqlite3'}"


def test_secrets_do_not_appear_when_settings_are_printed():
    settings = Settings(wechat_token="tok-secret-1", wechat_secret="app-secret-2", wechat_aes_key="a" * 43)
    shown = repr(settings) + str(settings) + str(settings.model_dump())
    for secret in ("tok-secret-1", "app-secret-2", "a" * 43):
        assert secret not in shown


def test_serve_refuses_development_secrets_in_production(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "LINLI_PRODUCTION": "1", "LINLI_DATA_DIR": str(tmp_path), "LINLI_WECHAT_TOKEN": "real-token"}
    result = subprocess.run([sys.executable, "-m", "bot.cli.main", "serve", "--port", "9"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "LINLI_WECHAT_SECRET" in result.stderr and "LINLI_WECHAT_TOKEN" not in result.stderr


def test_dev_secrets_lists_only_the_defaults_left():
    settings = Settings(wechat_token="t", wechat_secret="s", wxa_secret="w", api_secret="a")
    assert settings.dev_secrets() == []
    assert "LINLI_API_SECRET" in Settings().dev_secrets()
