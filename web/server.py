"""Run the app under gunicorn, loaded once in the master and forked into the workers.

Loading before the fork (``preload``) lets the workers share the app's memory, the Korean
analyzer model above all; each worker then opens its own database connections.
"""

from __future__ import annotations

from flask import Flask
from gunicorn.app.base import BaseApplication

from web import services


class _Server(BaseApplication):
    def __init__(self, app: Flask, options: dict) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def run_server(app: Flask, *, host: str, port: int, workers: int) -> None:
    """Serve ``app`` on ``host:port`` until interrupted."""
    # The schema was upgraded when this master created the app (services.init_app), so once
    # per start and before any worker forks.
    services.search_engine(app)  # load Kiwi and open the index before the workers fork

    def post_fork(_server, _worker) -> None:
        services.after_fork(app)

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        # Threads, not gunicorn's sync workers: a browser's idle pre-opened connection would
        # hold a sync worker until it times out, stalling every other visitor meanwhile.
        "worker_class": "gthread",
        "threads": 4,
        "preload_app": True,
        "post_fork": post_fork,
        "accesslog": "-",
        "timeout": 60,
    }
    _Server(app, options).run()
