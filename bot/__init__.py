"""The application: WeChat gateway, HTTP app, CLI and workers. Only bot/ speaks WeChat's protocol."""
