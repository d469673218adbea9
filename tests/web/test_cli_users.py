"""``deflect users``: adding people, one-time links, API tokens and the demo admin."""

from __future__ import annotations

import json
import re

import pytest

from web.cli import cli

from .desking import new_client, person_row, post, sign_in


@pytest.fixture
def app(backend_app):
    return backend_app


def test_add_prints_a_link_that_sets_the_password(app, runner):
    result = runner.invoke(cli, ["users", "add", "Min@Example.com", "--role", "agent",
                                 "--role", "editor", "--name", "Min"])
    assert result.exit_code == 0, result.output
    assert "added min@example.com (agent, editor)" in result.output
    link = re.search(r"http://127\.0\.0\.1:5000(/desk/password/\S+)", result.output).group(1)
    person = person_row(app, "min@example.com")
    assert person.name == "Min" and not person.has_password
    client = new_client(app)
    assert client.get(link).status_code == 303
    post(client, "/desk/password", {"password": "chosen long password",
                                    "password_again": "chosen long password"},
         token_from="/desk/password")
    assert sign_in(new_client(app), "min@example.com", "chosen long password").status_code == 303


def test_add_reads_the_password_from_stdin(app, runner):
    result = runner.invoke(cli, ["users", "add", "min@example.com", "--role", "admin",
                                 "--password-stdin"], input="a long piped password\n")
    assert result.exit_code == 0, result.output
    assert "/desk/password/" not in result.output
    assert sign_in(new_client(app), "min@example.com",
                   "a long piped password").status_code == 303


@pytest.mark.parametrize(("arguments", "stdin", "message"), [
    (["users", "add", "min@example.com", "--role", "agent", "--password-stdin"], "short\n",
     "password refused: a password needs at least 12 characters"),
    (["users", "add", "not-an-email", "--role", "agent"], None, "not an email address"),
    (["users", "add", "min@example.com", "--role", "boss"], None, "'boss' is not one of"),
    (["users", "token", "nobody@example.com"], None, "nobody has the email"),
], ids=["short-password", "bad-email", "bad-role", "unknown-person"])
def test_bad_input_is_a_clean_error(runner, arguments, stdin, message):
    result = runner.invoke(cli, arguments, input=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_email_is_added_once(runner):
    runner.invoke(cli, ["users", "add", "min@example.com", "--role", "agent"])
    result = runner.invoke(cli, ["users", "add", "MIN@example.com", "--role", "agent"])
    assert result.exit_code == 1
    assert "min@example.com already has an account" in result.output


def test_token_prints_a_working_token_once(app, runner):
    runner.invoke(cli, ["users", "add", "min@example.com", "--role", "agent"])
    result = runner.invoke(cli, ["users", "token", "min@example.com", "--label", "export"])
    assert result.exit_code == 0
    secret = result.output.strip()
    response = new_client(app).get("/api/desk/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.get_json()["email"] == "min@example.com"


def test_list_shows_people_and_their_state(runner):
    runner.invoke(cli, ["users", "add", "min@example.com", "--role", "agent"])
    result = runner.invoke(cli, ["users", "list", "--json"])
    assert json.loads(result.output) == [{"email": "min@example.com", "name": "",
                                          "roles": ["agent"], "disabled": False,
                                          "has_password": False, "has_totp": False}]


def test_demo_admin_is_created_once_with_a_generated_password(app, runner):
    first = runner.invoke(cli, ["users", "demo-admin"])
    assert first.exit_code == 0
    password = re.search(r"password: (\S+)", first.output).group(1)
    assert len(password) >= 16
    second = runner.invoke(cli, ["users", "demo-admin"])
    assert second.exit_code == 0 and "exists" in second.output and password not in second.output
    assert person_row(app, "admin@localhost").roles == {"admin", "agent", "editor"}
    client = new_client(app)
    assert sign_in(client, "admin@localhost", password).status_code == 303
    assert client.get("/desk/people").status_code == 200


def test_two_demo_admins_have_different_passwords(tmp_path):
    from web import create_app

    outputs = []
    for number in range(2):
        app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / str(number)),
                          "SECRET_KEY": "k", "PASSWORD_HASH_PROFILE": "CHEAPEST"})
        outputs.append(app.test_cli_runner().invoke(cli, ["users", "demo-admin"]).output)
    passwords = [re.search(r"password: (\S+)", output).group(1) for output in outputs]
    assert passwords[0] != passwords[1]


def test_link_prints_a_new_password_link(app, runner):
    runner.invoke(cli, ["users", "add", "min@example.com", "--role", "agent"])
    result = runner.invoke(cli, ["users", "link", "min@example.com"])
    assert result.exit_code == 0
    assert new_client(app).get(result.output.strip().split("5000", 1)[1]).status_code == 303
