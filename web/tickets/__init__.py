""""Still need help?": the contact form (with a review step) and the private status pages.

The form posts to itself: ``action=review`` checks everything and shows it back for review,
``edit`` returns to the form, ``send`` stores the ticket. Any problem re-renders what the
customer typed with a message beside each field. A ticket page is reachable only through its
private link (``web.tickets.access``); every response here is ``no-store`` and sends no
referrer, so neither caches nor other sites see a ticket's address.
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import Blueprint, abort, current_app, redirect, request, send_file, session, url_for

from kb import tickets
from kb.errors import RateLimited
from web import services, visitor
from web.i18n import page_locale
from web.tickets import access as grants
from web.tickets import forms, intake, names, notify, pages
from web.tickets.channels import SEOUL, support_channels

bp = Blueprint("tickets", __name__)


@bp.app_template_filter("korea_time")
def korea_time(moment: dt.datetime) -> str:
    """A stored (naive UTC) time as customers in Korea read it: ``2026-11-22 10:50 KST``."""
    return moment.replace(tzinfo=dt.UTC).astimezone(SEOUL).strftime("%Y-%m-%d %H:%M KST")


@bp.app_context_processor
def _support_channels() -> dict:
    """Every page's footer shows the configured phone and hours, worded in the page's language."""
    return {"support": lambda: support_channels(current_app.config, locale=page_locale())}
LOCALE = "<any(ko, en):locale>"


@bp.context_processor
def _names() -> dict:
    return {"category_names": names.CATEGORY_NAMES, "step_names": names.STEP_NAMES}


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get(f"/{LOCALE}/contact")
def contact(locale: str):
    """The form, prefilled from "Still need help?": the query as subject, the article's topic."""
    article = forms.published_article(locale, request.args.get("article"))
    return pages.contact_page(locale, forms.blank_form(subject=request.args.get("q", ""),
                                                       article=article))


@bp.post(f"/{LOCALE}/contact")
def submit(locale: str):
    forms.clean_orphans_now()
    form = forms.read_form(request, locale)
    if form.is_spam:  # a bot filled the hidden field: it sees success, nothing is stored
        return pages.render("tickets/sent.html", locale=locale)
    submission = form.check(locale)
    if submission is None or request.form.get("action") == "edit":
        return pages.contact_page(locale, form), 422 if form.errors else 200
    if request.form.get("action") != "send":
        return pages.review_page(locale, form, submission)
    try:
        created = intake.submit_ticket(submission, idempotency_key=form.key,
                                       attachments=form.uploads,
                                       source_article=form.source_article or None)
    except RateLimited as error:
        headers = {"Retry-After": str(error.retry_after)}
        return pages.review_page(locale, form, submission, notice="rate_limited"), 429, headers
    except (tickets.IdempotencyConflict, tickets.AttachmentTaken):
        form.key = secrets.token_urlsafe(16)
        forms.copy_uploads(form)  # the earlier ticket owns the files it took
        return pages.review_page(locale, form, submission, notice="conflict"), 409
    grants.remember(created.ticket.reference, created.token)
    session["ticket_created"] = created.ticket.reference
    return redirect(url_for("tickets.status", locale=locale,
                            reference=created.ticket.reference), 303)


@bp.get(f"/{LOCALE}/contact/articles/<slug>")
def suggested(locale: str, slug: str):
    """Open an article suggested on the form, logging it (deflection on the form)."""
    if services.knowledge_base(current_app).get(locale, slug) is None:
        abort(404)
    visitor.record("suggestion_open", locale=locale, slug=slug, source="suggestion",
                   value="contact_form")
    return redirect(url_for("help.article", locale=locale, slug=slug), 303)


@bp.get(f"/{LOCALE}/tickets/<token>")
def access(locale: str, token: str):
    """Exchange a private link for the session, then show the ticket at a clean URL."""
    ticket = grants.open_link(token)
    if ticket is None:
        abort(404)
    return redirect(url_for("tickets.status", locale=locale, reference=ticket.reference), 303)


@bp.get(f"/{LOCALE}/tickets/<reference>/status")
def status(locale: str, reference: str):
    ticket = grants.granted_ticket(reference)
    is_new = session.pop("ticket_created", None) == reference
    is_revoked = session.pop("links_revoked", None) == reference
    return pages.status_page(locale, ticket, is_new=is_new, is_revoked=is_revoked)


@bp.post(f"/{LOCALE}/tickets/<reference>/messages")
def follow_up(locale: str, reference: str):
    body = request.form.get("message", "")
    return pages.change(locale, reference, tickets.add_customer_message, body,
                        typed={"message": body})


@bp.post(f"/{LOCALE}/tickets/<reference>/rating")
def rate(locale: str, reference: str):
    rating = request.form.get("rating", type=int)
    comment = request.form.get("comment", "")
    return pages.change(locale, reference, tickets.confirm, rating, comment,
                        typed={"comment": comment, "rating": rating}, field="rating")


@bp.post(f"/{LOCALE}/tickets/<reference>/reopen")
def reopen(locale: str, reference: str):
    body = request.form.get("reopen_message", "")
    return pages.change(locale, reference, tickets.reopen, body,
                        typed={"reopen_message": body}, field="reopen_message")


@bp.post(f"/{LOCALE}/tickets/<reference>/links/revoke")
def revoke_links(locale: str, reference: str):
    """Stop every private link to the ticket; this browser keeps access through a new one,
    which is also mailed to the customer."""
    ticket, token = grants.change_granted(
        reference, tickets.replace_links, days=int(current_app.config["TICKET_LINK_DAYS"]))
    grants.remember(reference, token)
    notify.send_confirmation(ticket, token)
    session["links_revoked"] = reference
    return redirect(url_for("tickets.status", locale=locale, reference=reference), 303)


@bp.get(f"/{LOCALE}/tickets/<reference>/attachments/<public_id>")
def attachment(locale: str, reference: str, public_id: str):
    """Serve a screenshot to the ticket's holder only, as a download that is never sniffed."""
    found = grants.granted_attachment(reference, public_id)
    response = send_file(services.upload_store(current_app).path(found.storage_name),
                         mimetype=found.content_type, as_attachment=True,
                         download_name=found.display_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
