"""The workspace (``/desk/tickets/<reference>``): the customer's words, screenshots and trail,
suggested articles, the reply form (Markdown, saved replies, notes, step and assignment in one
action), similar open tickets with merge, and "turn this into an article".

A reply carries the id of the last message the agent saw: if the customer or another agent
wrote meanwhile, nothing is stored and the page comes back with the new messages and the
agent's text still in the box (409).
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from kb import rendering, tickets
from web import services
from web.desk import bp
from web.desk.auth import current_person
from web.desk_tickets import AGENTS, context, delivery, names
from web.policies import policy


def _find(session, reference: str) -> tickets.Ticket:
    ticket = tickets.find_ticket(session, reference)
    if ticket is None:
        abort(404)
    return ticket


def _workspace(reference: str, *, typed: dict | None = None, errors: dict | None = None,
               status: int = 200, newer: tuple[int, ...] = ()):
    database = services.database(current_app)
    with database.session() as session:
        ticket = _find(session, reference)
        trail = context.trail_of(session, ticket)
        similar = tickets.similar_open_tickets(session, ticket)
        merged = tickets.merged_into(session, ticket)
        saved = [(s.name, tickets.fill_placeholders(s.body, ticket))
                 for s in tickets.saved_replies(session, ticket.locale)]
        page = tickets.queue_page(session, tickets.QueueFilter(), cursor=tickets.queue
                                  .encode_cursor(ticket.id, ticket.waiting_since), limit=1)
    seen = ticket.messages[-1].id if ticket.messages else 0
    return render_template(
        "desk_tickets/workspace.html", ticket=ticket, trail=trail, similar=similar,
        merged=merged, saved=saved, suggestions=context.suggested_articles(ticket),
        next_ticket=page.rows[0].reference if page.rows else None,
        typed=typed or {}, errors=errors or {}, newer=set(newer), seen=seen,
        step_names=names.STEP_NAMES, categories=names.CATEGORY_NAMES,
        allowed=sorted(tickets.TRANSITIONS[tickets.Status(ticket.status)]),
        rendered={m.id: rendering.render_body(m.body, ticket.locale).html
                  for m in ticket.messages if m.is_agent}), status


@bp.get("/tickets/<reference>")
@policy(AGENTS)
def ticket_workspace(reference: str):
    normal = tickets.normalize_reference(reference)
    if normal is None:
        abort(404)
    if normal != reference:
        return redirect(url_for("desk.ticket_workspace", reference=normal), 301)
    return _workspace(normal)


@bp.post("/tickets/<reference>/reply")
@policy(AGENTS)
def ticket_reply(reference: str):
    form = request.form
    typed = {name: form.get(name, "") for name in ("message", "status", "assignee")}
    typed["internal"] = bool(form.get("internal"))
    seen = form.get("seen", "")
    # The articles linked are those the Markdown links by slug, as articles link each other.
    with services.database(current_app).session() as session:
        locale = _find(session, reference).locale
    links = list(dict.fromkeys(rendering.render_body(typed["message"], locale).links))
    assignee = {"mine": current_person.id, "none": None}.get(typed["assignee"],
                                                           tickets.UNCHANGED)
    try:
        replied = tickets.reply(
            services.database(current_app), services.knowledge_base(current_app), reference,
            message=typed["message"], links=() if typed["internal"] else links,
            status=typed["status"] or None, internal=typed["internal"],
            person_id=current_person.id, assignee=assignee,
            seen=int(seen) if seen.isdigit() else None,
            link_days=int(current_app.config["TICKET_LINK_DAYS"]))
    except tickets.TicketNotFound:
        abort(404)
    except tickets.TicketChanged as error:
        return _workspace(reference, typed=typed, status=409, newer=error.newer,
                          errors={"message": names.reply_error("changed")})
    except tickets.InvalidMessage as error:
        return _workspace(reference, typed=typed, status=422,
                          errors={"message": names.reply_error(error.code)})
    except tickets.UnknownArticle:
        return _workspace(reference, typed=typed, status=422,
                          errors={"message": names.reply_error("links")})
    except tickets.InvalidTransition:
        return _workspace(reference, typed=typed, status=422,
                          errors={"status": names.reply_error("status")})
    mailed = delivery.mail_reply(replied)
    if typed["internal"]:
        flash(_("Note added. The customer does not see it."), "success")
    else:
        flash(_("Reply sent to %(count)d customer(s).", count=mailed), "success")
    return redirect(url_for("desk.ticket_workspace", reference=replied.ticket.reference), 303)


@bp.post("/tickets/<reference>/merge")
@policy(AGENTS)
def ticket_merge(reference: str):
    chosen = request.form.getlist("merge")
    try:
        merged = tickets.merge_tickets(services.database(current_app), reference, chosen,
                                       person_id=current_person.id)
    except tickets.TicketNotFound:
        abort(404)
    except tickets.MergeRefused:
        flash(_("Nothing merged: choose open tickets in the same language."), "error")
    else:
        flash(_("Merged %(count)d tickets here. Your next reply reaches them too.",
                count=len(merged)), "success")
    return redirect(url_for("desk.ticket_workspace", reference=reference), 303)


@bp.post("/tickets/<reference>/draft")
@policy(AGENTS)
def ticket_draft(reference: str):
    knowledge = services.knowledge_base(current_app)
    with services.database(current_app).session() as session:
        ticket = _find(session, reference)
        try:
            draft = tickets.draft_from_ticket(
                session, ticket, categories=list(knowledge.categories) or ["other"],
                author=current_person.email)
        except tickets.DraftRefused:
            flash(_("Only a resolved ticket with an answer can become an article."), "error")
            return redirect(url_for("desk.ticket_workspace", reference=reference), 303)
    if {"editor", "admin"} & set(current_person.roles):
        return redirect(url_for("desk.articles_edit", locale=draft.locale, slug=draft.slug), 303)
    flash(_("Draft article %(name)s saved: it waits for an editor in the articles desk.",
            name=f"{draft.locale}/{draft.slug}"), "success")
    return redirect(url_for("desk.ticket_workspace", reference=reference), 303)


@bp.post("/tickets/preview")
@policy(AGENTS)
def tickets_preview():
    """The reply as the customer will read it, rendered by the articles' sanitizer."""
    data = request.get_json(silent=True) or {}
    body = str(data.get("message", ""))[:20_000]
    locale = data.get("locale") if data.get("locale") in ("ko", "en") else "ko"
    return jsonify({"html": rendering.render_body(body, locale).html})


@bp.get("/tickets/articles")
@policy(AGENTS)
def tickets_articles():
    """Articles for the workspace's search box, both locales, the customer's first."""
    locale = request.args.get("locale") if request.args.get("locale") in ("ko", "en") else "ko"
    found = context.search_articles(request.args.get("q", ""), locale)
    return jsonify({"articles": [{"slug": s.slug, "locale": s.locale, "title": s.title,
                                  "other_locale": s.other_locale} for s in found]})


@bp.get("/tickets/<reference>/attachments/<public_id>")
@policy(AGENTS)
def ticket_attachment(reference: str, public_id: str):
    with services.database(current_app).session() as session:
        found = tickets.find_attachment(session, _find(session, reference), public_id)
    if found is None:
        abort(404)
    response = send_file(services.upload_store(current_app).path(found.storage_name),
                         mimetype=found.content_type, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
