"""People (admins): invite, roles, disable, require a second factor; on every backend."""

from __future__ import annotations

import email
from pathlib import Path

import pytest

from kb import accounts
from kb.accounts.models import utcnow

from .desking import add_person, link_in, new_client, page, person_row, post, sign_in, signed_in


@pytest.fixture
def app(backend_app):
    return backend_app


@pytest.fixture
def admin(app):
    """A client signed in as an admin."""
    return signed_in(app, "boss@example.com", "admin", name="Boss")


def mails(app) -> list:
    folder = Path(app.config["DATA_DIR"]) / "outbox"
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(folder.glob("*.eml"))]


def invite(admin, **fields):
    data = {"email": "new@example.com", "name": "New Agent", "roles": ["agent"], **fields}
    return post(admin, "/desk/people", data, token_from="/desk/people")


def test_people_lists_everyone_with_their_state(app, admin):
    add_person(app, "agent@example.com", "agent")
    add_person(app, "invited@example.com", "editor", password=None)
    html = page(admin.get("/desk/people"))
    states = {item["data-email"]: item.find(attrs={"data-state": True})["data-state"]
              for item in html.select("li.person")}
    assert states == {"agent@example.com": "active", "boss@example.com": "active",
                      "invited@example.com": "invited"}


def test_an_invitation_adds_the_person_and_mails_a_link_that_sets_the_password(app, admin):
    response = invite(admin)
    assert response.status_code == 303
    assert "Invitation sent to new@example.com." in page(admin.get("/desk/people")).text
    person = person_row(app, "new@example.com")
    assert person.roles == {"agent"} and person.name == "New Agent" and not person.has_password
    (message,) = mails(app)
    assert message["To"] == "New Agent <new@example.com>"
    newcomer = new_client(app)
    assert newcomer.get(link_in(message.get_content())).status_code == 303
    done = post(newcomer, "/desk/password", {"password": "my own long password",
                                             "password_again": "my own long password"},
                token_from="/desk/password")
    assert done.status_code == 303
    assert sign_in(new_client(app), "new@example.com",
                   "my own long password").status_code == 303


def test_an_invitation_link_expires_after_a_day(app):
    person_id = add_person(app, "new@example.com", "agent", password=None)
    from web import services

    with services.database(app).session() as session:
        person = accounts.get_person(session, person_id)
        secret = accounts.issue_link(session, person, "set",
                                     now=utcnow() - accounts.LINK_LIFETIMES["set"])
    assert new_client(app).get(f"/desk/password/{secret}").status_code == 404


@pytest.mark.parametrize(("fields", "field", "status"), [
    ({"email": "not an email"}, "email", 422),
    ({"email": "boss@example.com"}, "email", 409),
    ({"roles": []}, "roles", 422),
    ({"name": "x" * 101}, "name", 422)], ids=["email", "taken", "no-role", "long-name"])
def test_a_bad_invitation_names_the_field_and_keeps_what_was_typed(admin, fields, field,
                                                                   status):
    response = invite(admin, **fields)
    assert response.status_code == status
    html = page(response)
    form = html.select_one("form.invite-form")
    assert form.find(id=f"{field}-error") is not None
    typed = {"email": "new@example.com", "name": "New Agent", **fields}
    assert form.find("input", id="email")["value"] == typed["email"]
    assert form.find("input", id="name")["value"] == typed["name"]
    checked = [box["value"] for box in form.select("input[name=roles][checked]")]
    assert checked == fields.get("roles", ["agent"])


def test_an_admin_changes_roles(app, admin):
    person_id = add_person(app, "agent@example.com", "agent")
    response = post(admin, f"/desk/people/{person_id}/roles", {"roles": ["editor", "agent"]},
                    token_from="/desk/people")
    assert response.status_code == 303
    assert person_row(app, "agent@example.com").roles == {"agent", "editor"}


def test_the_last_admin_cannot_drop_the_role(app, admin):
    boss = person_row(app, "boss@example.com")
    response = post(admin, f"/desk/people/{boss.id}/roles", {"roles": ["agent"]},
                    token_from="/desk/people")
    assert response.status_code == 409
    row = page(response).find(id=f"person-{boss.id}")
    assert row.find(attrs={"data-error": "row"}).text.startswith("That would leave no")
    assert person_row(app, "boss@example.com").roles == {"admin"}


def test_a_disabled_person_cannot_sign_in_and_can_be_enabled_again(app, admin):
    person_id = add_person(app, "agent@example.com", "agent")
    post(admin, f"/desk/people/{person_id}/access", {"action": "disable"},
         token_from="/desk/people")
    assert sign_in(new_client(app), "agent@example.com").status_code == 422
    post(admin, f"/desk/people/{person_id}/access", {"action": "enable"},
         token_from="/desk/people")
    assert sign_in(new_client(app), "agent@example.com").status_code == 303


def test_required_two_factor_confines_the_person_to_setting_it_up(app, admin):
    person_id = add_person(app, "agent@example.com", "agent")
    post(admin, f"/desk/people/{person_id}/two-factor", {"action": "require"},
         token_from="/desk/people")
    agent = new_client(app)
    sign_in(agent, "agent@example.com")
    response = agent.get("/desk/")
    assert response.status_code == 303
    assert response.headers["Location"] == "/desk/account#two-factor"
    account = page(agent.get("/desk/account"))
    assert account.find(attrs={"data-needs-two-factor": True}) is not None
    post(agent, "/desk/account/two-factor/start", token_from="/desk/account")
    secret = page(agent.get("/desk/account")).find(attrs={"data-totp-secret": True}).text
    post(agent, "/desk/account/two-factor", {"code": accounts.code_for(secret, utcnow())},
         token_from="/desk/account")
    assert agent.get("/desk/").status_code == 200


def test_an_admin_resets_a_lost_second_factor(app, admin):
    person_id = add_person(app, "agent@example.com", "agent",
                           totp_secret=accounts.new_secret())
    post(admin, f"/desk/people/{person_id}/two-factor", {"action": "reset"},
         token_from="/desk/people")
    assert person_row(app, "agent@example.com").totp_secret is None
    assert sign_in(new_client(app), "agent@example.com").headers["Location"] == "/desk/"


def test_unknown_person_is_404(admin):
    response = post(admin, "/desk/people/999/roles", {"roles": ["agent"]},
                    token_from="/desk/people")
    assert response.status_code == 404


def test_people_page_is_in_korean_for_a_korean_browser(app, admin):
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ko-KR"
    html = page(admin.get("/desk/people"))
    assert html.h1.text == "구성원"
    assert [a.text for a in html.select("nav.desk-nav a")] == [
        "데스크 홈", "문의", "도움말", "구성원", "내 계정", "인사이트"]
