"""The contact form as the customer filled it in: every typed value, kept images, and errors.

A ``ContactForm`` is read from a POST (text fields, new files, images already kept from an
earlier step) and rendered back unchanged whatever goes wrong, so nothing typed is ever lost.
New files are re-encoded and stored as soon as they arrive; the form then carries only their
random storage names, so they survive the review step and a validation error. The slug of the
article that led here ("Still need help?") travels the same way, and is checked against the
published articles each time it comes back.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass, field

from flask import Request, current_app, request

from kb import Article, uploads
from kb.submissions import (
    ARTICLE_CATEGORIES,
    CATEGORIES,
    FIELDS,
    InvalidSubmission,
    Submission,
    parse_submission,
)
from kb.tickets import NewAttachment
from web import services, visitor

TEXT_FIELDS = tuple(name for name in FIELDS if name not in ("consent", "locale"))
HONEYPOT = "website"
MAX_KEY = 100
MAX_SLUG = 200
CLEAN_EVERY = 600
"""Seconds between two passing clean-ups of orphaned uploads in one process."""
_log = logging.getLogger(__name__)


@dataclass
class ContactForm:
    """What the customer typed and attached, and the message for each field that is wrong."""

    values: dict[str, str] = field(default_factory=lambda: dict.fromkeys(TEXT_FIELDS, ""))
    is_consenting: bool = False
    key: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    uploads: list[NewAttachment] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    is_spam: bool = False
    categories: tuple[str, ...] = CATEGORIES
    source_article: str = ""
    """The slug of the published article the customer was reading, or ``""``."""

    def check(self, locale: str) -> Submission | None:
        """The submission if every field (and file) is fine; else fill ``errors``."""
        data = {**self.values, "consent": self.is_consenting}
        try:
            submission = parse_submission(data, locale=locale)
        except InvalidSubmission as error:
            self.errors.update(error.messages(locale))
            return None
        return None if self.errors else submission


def published_article(locale: str, slug: str | None) -> Article | None:
    """The published article ``slug`` in ``locale``; ``None`` for anything else (never raises)."""
    if not slug or len(slug) > MAX_SLUG:
        return None
    return services.knowledge_base(current_app).get(locale, slug)


def blank_form(subject: str = "", article: Article | None = None) -> ContactForm:
    """A fresh form: ``subject`` prefilled, and the category of the ``article`` that led here."""
    form = ContactForm()
    form.values["subject"] = subject[:200]
    if article is not None:
        form.source_article = article.slug
        form.values["category"] = ARTICLE_CATEGORIES.get(article.category, "")
    return form


def read_form(request: Request, locale: str) -> ContactForm:
    """Read a posted contact form, storing any new images (their problems go to ``errors``)."""
    form = ContactForm(values={name: request.form.get(name, "") for name in TEXT_FIELDS},
                       is_consenting=request.form.get("consent") == "on",
                       is_spam=bool(request.form.get(HONEYPOT)))
    article = published_article(locale, request.form.get("source_article"))
    form.source_article = article.slug if article is not None else ""
    key = request.form.get("idempotency_key", "")
    if 16 <= len(key) <= MAX_KEY:
        form.key = key
    store = services.upload_store(current_app)
    owner = visitor.anonymous_id()
    removed = set(request.form.getlist("remove_upload"))
    for name in dict.fromkeys(request.form.getlist("upload")):
        kept = store.load(name, owner=owner)
        if kept is not None and name not in removed and len(form.uploads) < uploads.MAX_FILES:
            form.uploads.append(kept)
    problems = [_add_file(form, store, file, locale, owner)
                for file in request.files.getlist("screenshots") if file.filename]
    if any(problems):
        form.errors["screenshots"] = " ".join(p for p in problems if p)
    return form


def copy_uploads(form: ContactForm) -> None:
    """Give the form copies of its images (to send it again as a new request: every ticket
    owns its own files)."""
    store = services.upload_store(current_app)
    form.uploads = [store.copy(kept, owner=visitor.anonymous_id()) for kept in form.uploads]


def clean_orphans_now() -> None:
    """Delete old uploads no ticket took, at most once every ``CLEAN_EVERY`` seconds here."""
    last = current_app.extensions.get("deflect.uploads_cleaned")
    if last is not None and time.monotonic() - last < CLEAN_EVERY:
        return
    current_app.extensions["deflect.uploads_cleaned"] = time.monotonic()
    removed = uploads.clean_orphans(services.database(current_app),
                                    services.upload_store(current_app),
                                    keep_hours=float(current_app.config["UPLOAD_KEEP_HOURS"]))
    if removed:
        _log.info("deleted %d uploads that no ticket took", removed)


def _add_file(form: ContactForm, store: uploads.UploadStore, file, locale: str,
              owner: str) -> str:
    name = uploads.display_name(file.filename)
    if len(form.uploads) >= uploads.MAX_FILES:
        return uploads.UploadError("too_many", name).message(locale)
    try:
        uploads.check_upload_limit(services.database(current_app), _address(),
                                   int(current_app.config["UPLOAD_LIMIT_PER_ADDRESS"]), name)
        image = uploads.reencode(file.stream.read(uploads.MAX_BYTES + 1), file.filename)
    except uploads.UploadError as error:
        return error.message(locale)
    form.uploads.append(store.save(image, owner=owner))
    return ""


def _address() -> str:
    return request.remote_addr or ""
