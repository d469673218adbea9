"""Configuration: built-in defaults, then ``DEFLECT_*`` environment variables, then overrides.

Every key a deployment may set is in ``SETTINGS`` with its meaning; the README documents each
one as ``DEFLECT_<KEY>`` (a test keeps the two in step).
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

REPOSITORY = Path(__file__).resolve().parent.parent

SETTINGS: dict[str, str] = {
    "ARTICLES_DIR": "folder of the Markdown articles (default: the repository's articles/)",
    "DATA_DIR": "folder for the database, search index, uploads and outbox (default: instance/)",
    "DATABASE_URL": "SQLAlchemy URL of the database (default: SQLite file in the data folder)",
    "SECRET_KEY": "key that signs sessions and forms (default: random, kept in the data folder)",
    "SMTP_URL": "mail server for ticket mail, e.g. smtp://127.0.0.1:2525 (default: .eml outbox)",
    "MAIL_FROM": "sender of ticket mail (default: Plooma Support <support@localhost>)",
    "PUBLIC_URL": "address customers open, used for links in mail (default: the request's)",
    "SUPPORT_PHONE": "support phone number shown on the contact page",
    "SUPPORT_EMAIL": "support email address shown on the contact page",
    "SUPPORT_MESSENGER_URL": "https link to the chat/messenger channel on the contact page",
    "SUPPORT_HOURS": "support hours in Korea time, e.g. Mon-Fri 09:00-18:00",
    "TICKET_LIMIT_PER_ADDRESS": "tickets one client address may open per hour (0: no limit)",
    "TICKET_LIMIT_PER_EMAIL": "tickets one email address may open per hour (0: no limit)",
    "TICKET_LINK_DAYS": "days a private ticket status link keeps working",
    "PASSWORD_HASH_PROFILE": "argon2id parameters: RFC_9106_LOW_MEMORY (default) or CHEAPEST "
                             "(tests only)",
    "DESK_LIMIT_PER_ADDRESS": "desk sign-in, code and reset attempts per client address per "
                              "hour",
    "DESK_LIMIT_PER_EMAIL": "desk sign-in, code and reset attempts per account per hour",
    "TRUSTED_HOSTS": "host names the app answers to, comma-separated (default: loopback names "
                     "and PUBLIC_URL's host); any other Host header is a 400",
    "TRUSTED_PROXIES": "how many reverse proxies in front set X-Forwarded-For/-Proto/-Host "
                       "(default 0: those headers are ignored)",
    "UPLOAD_LIMIT_PER_ADDRESS": "screenshots one client address may upload per hour "
                                "(0: no limit)",
    "UPLOAD_KEEP_HOURS": "hours an upload not attached to a ticket is kept before cleanup",
    "FAULT_INJECTION": "tests only: true enables the crash points of web/faults.py (default: off)",
}
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def configure(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Apply defaults, the ``DEFLECT_*`` environment and ``overrides``, then derive the rest."""
    app.config.update(
        ARTICLES_DIR=str(REPOSITORY / "articles"),
        DATA_DIR=str(REPOSITORY / "instance"),
        DATABASE_URL=None,
        SECRET_KEY=None,
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SMTP_URL=None,
        MAIL_FROM="Plooma Support <support@localhost>",
        PUBLIC_URL=None,
        SUPPORT_PHONE="1600-0000",
        SUPPORT_EMAIL="support@plooma.example",
        SUPPORT_MESSENGER_URL="",
        SUPPORT_HOURS="Mon-Fri 09:00-18:00",
        TICKET_LIMIT_PER_ADDRESS=10,
        TICKET_LIMIT_PER_EMAIL=5,
        TICKET_LINK_DAYS=180,
        PASSWORD_HASH_PROFILE="RFC_9106_LOW_MEMORY",
        DESK_LIMIT_PER_ADDRESS=30,
        DESK_LIMIT_PER_EMAIL=10,
        SESSION_COOKIE_SECURE=None,
        TRUSTED_HOSTS=None,
        TRUSTED_PROXIES=0,
        UPLOAD_LIMIT_PER_ADDRESS=30,
        UPLOAD_KEEP_HOURS=24,
    )
    app.config.from_prefixed_env("DEFLECT")
    app.config.update(overrides or {})

    data_dir = Path(app.config["DATA_DIR"]).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    app.config["DATA_DIR"] = str(data_dir)
    app.config["ARTICLES_DIR"] = str(Path(app.config["ARTICLES_DIR"]).resolve())
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{data_dir / 'deflect.sqlite3'}"
    if app.config["SESSION_COOKIE_SECURE"] is None:
        # Browsers send a Secure cookie only over https: on the public https URL, insist on it.
        is_https = str(app.config.get("PUBLIC_URL") or "").startswith("https://")
        app.config["SESSION_COOKIE_SECURE"] = is_https
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _kept_secret_key(data_dir / "secret_key")
    public_url = app.config.get("PUBLIC_URL") or ""
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config["TRUSTED_HOSTS"], public_url)
    app.config["TRUSTED_PROXIES"] = int(app.config["TRUSTED_PROXIES"] or 0)
    if urlsplit(public_url).scheme == "https":
        # Served over TLS: the session cookie never travels in clear text.
        app.config["SESSION_COOKIE_SECURE"] = True


def trusted_hosts(configured: str | list[str] | None, public_url: str = "") -> list[str]:
    """The Host names to answer: ``configured`` (a list or ``"a.com, .b.org"``, a leading dot
    taking subdomains), else the loopback names; plus ``public_url``'s host.

    A Host header outside the list is refused with a 400 (Flask's ``TRUSTED_HOSTS``), so a
    forged Host can never become the address in a mail link.
    """
    if isinstance(configured, str):
        configured = [name.strip() for name in configured.split(",")]
    hosts = [name for name in (configured or LOOPBACK_HOSTS) if name]
    public_host = urlsplit(public_url).hostname
    if public_host and public_host not in hosts:
        hosts.append(public_host)
    return hosts


def _kept_secret_key(path: Path) -> str:
    """Read the generated key, creating it once; several workers starting together agree."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        key = secrets.token_hex(32)
        with os.fdopen(descriptor, "w") as file:
            file.write(key)
        return key
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.01)  # another process created the file and is writing the key
    raise RuntimeError(f"secret key file {path} is empty: delete it to make a new key")
