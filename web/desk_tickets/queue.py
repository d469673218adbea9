"""The queue page (``/desk/tickets``): tickets waiting longest first, filters, counts per step,
keyset pages, bulk assign and move; and the JSON it polls to stay fresh (``desk-queue.js``).
"""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kb import tickets
from web import services
from web.desk import bp
from web.desk.auth import current_person
from web.desk_tickets import AGENTS, context, names
from web.policies import policy


@bp.get("/tickets")
@policy(AGENTS)
def tickets_queue():
    errors: dict[str, str] = {}
    try:
        filters, typed = context.queue_filters(request.args, current_person.id)
        with services.database(current_app).session() as session:
            page = tickets.queue_page(session, filters, cursor=typed["cursor"] or None)
    except tickets.InvalidQueueFilter as error:
        typed = {name: request.args.get(name, "") for name in
                 ("status", "category", "locale", "assignee", "q", "cursor")}
        errors = {name: names.filter_error(name) for name in error.problems}
        page, filters = tickets.QueuePage([], None, {}), None
    status = 422 if errors else 200
    return render_template("desk_tickets/queue.html", page=page, typed=typed, errors=errors,
                           filters=filters, steps=[s.value for s in tickets.Status],
                           step_names=names.STEP_NAMES, categories=names.CATEGORY_NAMES,
                           tab=typed.get("status", "")), status


@bp.get("/tickets/updates")
@policy(AGENTS)
def tickets_updates():
    """What the open queue page polls: the counts and the first page's references."""
    try:
        filters, _typed = context.queue_filters(request.args, current_person.id)
        with services.database(current_app).session() as session:
            page = tickets.queue_page(session, filters)
    except tickets.InvalidQueueFilter as error:
        return jsonify({"error": error.problems}), 422
    return jsonify({"counts": page.counts, "references": [r.reference for r in page.rows]})


@bp.post("/tickets/bulk")
@policy(AGENTS)
def tickets_bulk():
    chosen = request.form.getlist("reference")
    action = request.form.get("action")
    back = request.form.get("back") or url_for("desk.tickets_queue")
    if not back.startswith("/desk/tickets"):
        back = url_for("desk.tickets_queue")
    if not chosen:
        flash(_("Choose at least one ticket first."), "error")
        return redirect(back, 303)
    database = services.database(current_app)
    try:
        if action == "assign":
            who = request.form.get("assignee", "")
            assignee = current_person.id if who == "mine" else int(who) if who.isdigit() \
                else None
            done = tickets.assign(database, chosen, assignee, person_id=current_person.id)
            flash(_("Assigned %(count)d tickets.", count=len(done)), "success")
        elif action == "move":
            status = request.form.get("status", "")
            done = tickets.move_tickets(database, chosen, status, person_id=current_person.id)
            flash(_("Moved %(count)d tickets to “%(step)s”.", count=len(done),
                    step=names.STEP_NAMES.get(status, status)), "success")
        else:
            flash(_("Choose what to do with the tickets."), "error")
    except tickets.AssignmentRefused as error:
        flash(_("Nothing changed: %(reasons)s", reasons="; ".join(
            f"{ref} — {names.refusal(why)}" for ref, why in error.refused.items())), "error")
    return redirect(back, 303)
