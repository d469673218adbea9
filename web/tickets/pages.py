"""Rendering the contact, review and status pages, and applying a customer's change to a ticket.

Kept apart from the views so each view stays a few lines: read the request, call one function
here or in ``kb.tickets``, return.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, redirect, render_template, url_for
from flask_babel import lazy_gettext

from kb import tickets, uploads
from kb.submissions import Submission
from web import services
from web.tickets import access as grants
from web.tickets import forms
from web.tickets.channels import support_channels
from web.tickets.forms import ContactForm, published_article

SUGGESTIONS = 3
FORM_TEXT_ROOM = 100_000
"""Bytes of a contact form body left for the typed text and the multipart framing: the
browser check lets files fill ``MAX_CONTENT_LENGTH`` less this."""
MAX_SUGGEST_TEXT = 2000
ERROR_TEXT = {
    "required": lazy_gettext("Please write a message."),
    "too_long": lazy_gettext("This is too long: at most 20,000 characters."),
    "rating": lazy_gettext("Choose a rating from 1 to 5."),
    "closed": lazy_gettext("This request is closed; please open a new one."),
}
"""What the status page says for each ``kb.tickets.InvalidMessage`` code."""
MOVED_ON = lazy_gettext("This request has moved on; the page now shows where it is.")
NOTICES = {
    "rate_limited": lazy_gettext("You have sent many requests recently. Please wait a little "
                                 "and send again: everything you typed is still here."),
    "conflict": lazy_gettext("This form was already sent once. Send it again as a new request?"),
}
"""What the review page says when sending did not work (the key is in ``data-notice``)."""
_log = logging.getLogger(__name__)


def render(template: str, **context: Any) -> str:
    return render_template(template, **context)


def suggestions(locale: str, text: str) -> list[dict[str, str]]:
    """Up to three articles like ``text``, linked through the logging redirect."""
    text = text.strip()[:MAX_SUGGEST_TEXT]
    if not text:
        return []
    from search import SearchError  # not at the top: importing search loads the models

    engine = services.search_engine(current_app)
    try:
        # the search's own confidence: when no article answers, nothing beats noise
        if engine.confidence(text, locale=locale) < engine.settings.low_confidence:
            return []
        hits = engine.similar_to_text(text, locale=locale, limit=SUGGESTIONS)
    except SearchError:  # the engine refuses text it cannot use; the form works without it
        _log.info("no suggestions for a contact form text of %d characters", len(text))
        return []
    return [{"title": hit.title, "slug": hit.slug,
             "url": url_for("tickets.suggested", locale=locale, slug=hit.slug)} for hit in hits]


def contact_page(locale: str, form: ContactForm) -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return render("tickets/contact.html", locale=locale, form=form,
                  max_file_bytes=uploads.MAX_BYTES,
                  max_files_bytes=max(limit - FORM_TEXT_ROOM, 0) if limit else None,
                  limit_megabytes=forms.megabytes(limit) if limit else None,
                  source_article=published_article(locale, form.source_article),
                  channels=support_channels(current_app.config, locale=locale))


def review_page(locale: str, form: ContactForm, submission: Submission,
                notice: str | None = None) -> str:
    return render("tickets/review.html", locale=locale, form=form, submission=submission,
                  notice=notice, notice_text=NOTICES.get(notice),
                  source_article=published_article(locale, form.source_article),
                  channels=support_channels(current_app.config, locale=locale),
                  suggestions=suggestions(locale, f"{submission.subject}\n"
                                                  f"{submission.description}"))


def status_page(locale: str, ticket: tickets.Ticket, *, is_new: bool = False,
                is_revoked: bool = False, errors: dict[str, str] | None = None,
                typed: dict[str, Any] | None = None) -> str:
    knowledge = services.knowledge_base(current_app)
    linked = {slug: article for message in ticket.public_messages for slug in message.links
              if (article := knowledge.get(ticket.locale, slug)) is not None}
    return render("tickets/status.html", locale=locale, ticket=ticket, steps=tickets.STEPS,
                  step_index=tickets.STEPS.index(ticket.step), linked=linked, is_new=is_new,
                  is_revoked=is_revoked,
                  errors=errors or {}, typed=typed or {})


def change(locale: str, reference: str, function, *args: Any, typed: dict[str, Any],
           field: str = "message"):
    """Apply a customer's change and redirect to the status page, or show it back with why not."""
    try:
        grants.change_granted(reference, function, *args)
    except tickets.InvalidMessage as error:
        return _refused(locale, reference, {field: str(ERROR_TEXT.get(error.code, MOVED_ON))},
                        typed, 422)
    except tickets.InvalidTransition:
        # Someone else changed the ticket first (another tab, an agent): the form this came
        # from may be gone, so the page says so and shows the unsent words, and puts them in
        # the message box if the ticket now has one.
        unsent = "\n".join(value for value in typed.values() if isinstance(value, str) and value)
        return _refused(locale, reference, {"moved": str(MOVED_ON)},
                        {**typed, "unsent": unsent, "message": typed.get("message") or unsent},
                        409)
    return redirect(url_for("tickets.status", locale=locale, reference=reference), 303)


def _refused(locale: str, reference: str, errors: dict[str, str], typed: dict[str, Any],
             status: int):
    ticket = grants.granted_ticket(reference)
    return status_page(locale, ticket, errors=errors, typed=typed), status
