"""People (admins only): everyone with a desk account, inviting, roles, access and 2FA.

Changing someone's roles or disabling them ends all their sessions at once; the last active
admin cannot lose the role or be disabled. An invitation mails a one-time link (24 hours) that
lets the person choose their password.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext

from kb import accounts
from web import services
from web.desk import bp, mails
from web.desk.forms import error_of, page
from web.desk.messages import field_error
from web.policies import policy, roles

ADMIN = roles("admin")


def _people_page(*, status: int = 200, errors: dict[str, str] | None = None,
                 typed: dict | None = None, row_errors: dict[int, str] | None = None):
    with services.database(current_app).session() as db_session:
        people = accounts.list_people(db_session)
    messages = {person_id: field_error(code) for person_id, code in (row_errors or {}).items()}
    return page("people.html", status=status, errors=errors, people=people,
                roles=accounts.ROLES, row_errors=messages,
                typed=typed or {"email": "", "name": "", "roles": ["agent"]})


@bp.get("/people")
@policy(ADMIN)
def people():
    return _people_page()


@bp.post("/people")
@policy(ADMIN)
def invite():
    typed = {"email": request.form.get("email", "").strip(),
             "name": request.form.get("name", ""), "roles": request.form.getlist("roles")}
    try:
        with services.database(current_app).session() as db_session:
            person = accounts.add_person(db_session, typed["email"], roles=typed["roles"],
                                         name=typed["name"])
            db_session.flush()
            secret = accounts.issue_link(db_session, person, "set")
    except accounts.AccountError as error:
        status = 409 if isinstance(error, accounts.EmailTaken) else 422
        return _people_page(status=status, errors=error_of(error), typed=typed)
    mails.send_invitation(person, secret)
    flash(gettext("Invitation sent to %(email)s.", email=person.email), "notice")
    return redirect(url_for("desk.people"), 303)


def _change(person_id: int, change, *args):
    try:
        with services.database(current_app).session() as db_session:
            person = accounts.get_person(db_session, person_id)
            if person is None:
                abort(404)
            change(db_session, person, *args)
    except accounts.AccountError as error:
        status = 409 if isinstance(error, accounts.LastAdmin) else 422
        return _people_page(status=status, row_errors={person_id: error.code})
    flash(gettext("Saved the change for %(email)s.", email=person.email), "notice")
    return redirect(url_for("desk.people", _anchor=f"person-{person_id}"), 303)


@bp.post("/people/<int:person_id>/roles")
@policy(ADMIN)
def change_roles(person_id: int):
    return _change(person_id, accounts.set_roles, request.form.getlist("roles"))


@bp.post("/people/<int:person_id>/access")
@policy(ADMIN)
def change_access(person_id: int):
    action = request.form.get("action")
    if action not in ("disable", "enable"):
        abort(400)
    return _change(person_id, accounts.set_disabled, action == "disable")


@bp.post("/people/<int:person_id>/two-factor")
@policy(ADMIN)
def change_two_factor(person_id: int):
    action = request.form.get("action")
    if action not in ("require", "relax", "reset"):
        abort(400)
    if action == "reset":  # the person lost their phone: they set it up again at sign-in
        return _change(person_id, _reset_two_factor)
    return _change(person_id, accounts.set_totp_required, action == "require")


def _reset_two_factor(db_session, person: accounts.Person) -> None:
    accounts.disable_totp(db_session, person)
    accounts.end_sessions(db_session, person)
