"""Run the app under gunicorn, loaded once in the master and forked into the workers.

Loading before the fork (``preload``) lets the workers share the app's memory, the Korean
analyzer model above all; each worker then opens its own database connections.
"""

from __future__ import annotations

import os
import sys

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

    def worker_exit(_server, _worker) -> None:
        _exit_worker(app)

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        # Threads, not gunicorn's sync workers: a browser's idle pre-opened connection would
        # hold a sync worker until it times out, stalling every other visitor meanwhile.
        "worker_class": "gthread",
        "threads": 4,
        "preload_app": True,
        "post_fork": post_fork,
        "worker_exit": worker_exit,
        "accesslog": "-",
        "timeout": 60,
    }
    _Server(app, options).run()


def _exit_worker(app: Flask) -> None:
    """End a worker now that its requests are done: write its queued events, then leave
    without the interpreter's teardown.

    The teardown frees the models shared with the master page by page; each free writes to a
    copy-on-write page, so a worker spent seconds copying memory only to release it (SIGTERM
    then took longer than a load balancer waits). The exit status gunicorn chose is kept.
    """
    raised = sys.exc_info()[1]  # called while gunicorn's SystemExit is propagating
    status = raised.code if isinstance(raised, SystemExit) else 1
    try:
        services.event_recorder(app).close()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status if isinstance(status, int) else 1)
