"""Staff accounts in the domain: people, roles, session epochs, links, tokens, TOTP, hashing."""

from __future__ import annotations

import datetime as dt

import argon2
import pytest

from kb import accounts
from kb.accounts.models import utcnow

CHEAP = accounts.PasswordHashing("CHEAPEST")


def add(db, email="min@example.com", *roles, password="a long enough password"):
    with db.session() as session:
        person = accounts.add_person(session, email, roles=roles or ("agent",),
                                     password_hash=CHEAP.hash(password) if password else None)
        session.flush()
        return person


def test_production_hashing_uses_the_argon2id_defaults():
    production = accounts.PasswordHashing()
    default = argon2.PasswordHasher()
    assert production.parameters.type is argon2.Type.ID
    assert production.parameters == argon2.extract_parameters(default.hash("x"))
    assert accounts.PasswordHashing("CHEAPEST").parameters == argon2.profiles.CHEAPEST


def test_an_unknown_hashing_profile_is_named_in_the_error():
    with pytest.raises(ValueError, match="PASSWORD_HASH_PROFILE.*'FAST'"):
        accounts.PasswordHashing("FAST")


def test_a_hash_verifies_its_password_only():
    stored = CHEAP.hash("a long enough password")
    assert stored.startswith("$argon2id$")
    assert CHEAP.verify(stored, "a long enough password")
    assert not CHEAP.verify(stored, "another password!!")
    assert not CHEAP.verify("not a hash", "a long enough password")


@pytest.mark.parametrize(("password", "code"), [
    ("short", "password_short"), ("x" * 257, "password_long"),
    ("Min@Example.com", "password_email")], ids=["short", "long", "email"])
def test_password_policy_names_the_field(password, code):
    with pytest.raises(accounts.InvalidInput) as caught:
        accounts.check_password(password, email="min@example.com")
    assert (caught.value.code, caught.value.field) == (code, "password")


def test_add_person_normalizes_email_and_keeps_roles(db):
    person = add(db, "  Min@Example.COM ", "editor", "agent")
    assert person.email == "min@example.com"
    assert person.roles == {"agent", "editor"}
    assert person.session_epoch == 0


@pytest.mark.parametrize(("email", "roles", "code", "field"), [
    ("not-an-email", ("agent",), "email_invalid", "email"),
    ("", ("agent",), "email_required", "email"),
    ("a@b.c", ("boss",), "role_unknown", "roles"),
    ("a@b.c", (), "roles_required", "roles")], ids=["email", "blank", "role", "no-role"])
def test_add_person_refuses_bad_input_naming_the_field(db, email, roles, code, field):
    with db.session() as session, pytest.raises(accounts.InvalidInput) as caught:
        accounts.add_person(session, email, roles=roles)
    assert (caught.value.code, caught.value.field) == (code, field)


def test_an_email_has_one_account(db):
    add(db, "min@example.com")
    with pytest.raises(accounts.EmailTaken):
        add(db, "MIN@example.com")


def test_authenticate_accepts_the_right_password_only(db):
    add(db, "min@example.com")
    with db.session() as session:
        assert accounts.authenticate(session, CHEAP, "MIN@example.com",
                                     "a long enough password") is not None
        assert accounts.authenticate(session, CHEAP, "min@example.com", "wrong one!!!") is None
        assert accounts.authenticate(session, CHEAP, "nobody@example.com",
                                     "a long enough password") is None


def test_a_disabled_person_cannot_sign_in(db):
    person = add(db, "min@example.com")
    add(db, "boss@example.com", "admin")
    with db.session() as session:
        accounts.set_disabled(session, session.merge(person), True)
    with db.session() as session:
        assert accounts.authenticate(session, CHEAP, "min@example.com",
                                     "a long enough password") is None


@pytest.mark.parametrize("change", ["roles", "disable", "password", "end"])
def test_each_change_that_ends_sessions_moves_the_epoch(db, change):
    person = add(db, "min@example.com")
    add(db, "boss@example.com", "admin")
    with db.session() as session:
        person = session.merge(person)
        if change == "roles":
            accounts.set_roles(session, person, ["editor"])
        elif change == "disable":
            accounts.set_disabled(session, person, True)
        elif change == "password":
            accounts.set_password(session, person, CHEAP.hash("another long password"))
        else:
            accounts.end_sessions(session, person)
    with db.session() as session:
        assert accounts.find_person(session, "min@example.com").session_epoch == 1


def test_the_last_active_admin_keeps_the_role_and_access(db):
    admin = add(db, "boss@example.com", "admin")
    with db.session() as session:
        with pytest.raises(accounts.LastAdmin):
            accounts.set_roles(session, session.merge(admin), ["agent"])
        with pytest.raises(accounts.LastAdmin):
            accounts.set_disabled(session, session.merge(admin), True)
    add(db, "second@example.com", "admin")
    with db.session() as session:
        accounts.set_roles(session, session.merge(admin), ["agent"])
    with db.session() as session:
        assert accounts.find_person(session, "boss@example.com").roles == {"agent"}


def test_a_link_works_once_and_closes_the_others(db):
    person = add(db, password=None)
    with db.session() as session:
        first = accounts.issue_link(session, person, "set")
        second = accounts.issue_link(session, person, "reset")
    with db.session() as session:
        assert accounts.use_link(session, first, CHEAP.hash("a brand new password")) is not None
    with db.session() as session:
        assert accounts.use_link(session, first, CHEAP.hash("x" * 20)) is None
        assert accounts.find_link(session, second) is None
        assert accounts.authenticate(session, CHEAP, person.email, "a brand new password")


@pytest.mark.parametrize(("purpose", "lifetime"), [("set", dt.timedelta(hours=24)),
                                                   ("reset", dt.timedelta(minutes=30))])
def test_a_link_expires(db, purpose, lifetime):
    person = add(db)
    issued = utcnow()
    with db.session() as session:
        secret = accounts.issue_link(session, person, purpose, now=issued)
    with db.session() as session:
        assert accounts.find_link(session, secret, now=issued + lifetime
                                  - dt.timedelta(seconds=1)) is not None
        assert accounts.find_link(session, secret, now=issued + lifetime) is None


def test_api_tokens_are_stored_as_digests_and_can_be_revoked(db):
    person = add(db)
    with db.session() as session:
        token, secret = accounts.issue_api_token(session, person, "nightly export")
    assert secret.startswith("dfl_") and len(secret) > 40
    assert token.token_hash != secret and secret not in token.token_hash
    with db.session() as session:
        assert accounts.find_token_owner(session, secret).email == person.email
        assert [t.label for t in accounts.list_api_tokens(session, person)] == ["nightly export"]
        assert accounts.revoke_api_token(session, person, token.id)
    with db.session() as session:
        assert accounts.find_token_owner(session, secret) is None
        assert not accounts.revoke_api_token(session, person, token.id)


def test_totp_accepts_a_code_once_within_a_step_of_drift(db):
    person = add(db)
    now = utcnow()
    with db.session() as session:
        person = session.merge(person)
        secret = accounts.start_totp(session, person)
        with pytest.raises(accounts.InvalidCode):
            accounts.enable_totp(session, person, "000000" if accounts.code_for(
                secret, now) != "000000" else "111111", now=now)
        accounts.enable_totp(session, person, accounts.code_for(secret, now), now=now)
    assert person.totp_secret == secret and person.totp_pending is None
    later = now + dt.timedelta(seconds=30)
    with db.session() as session:
        person = session.merge(person)
        assert not accounts.check_totp(session, person, accounts.code_for(secret, now), now=now)
        assert accounts.check_totp(session, person, accounts.code_for(secret, later), now=later)
        far = later + dt.timedelta(minutes=5)
        assert not accounts.check_totp(session, person,
                                       accounts.code_for(secret, far - dt.timedelta(minutes=2)),
                                       now=far)


def test_two_requests_with_one_link_set_one_password(db):
    import threading

    person = add(db, password=None)
    with db.session() as session:
        secret = accounts.issue_link(session, person, "set")
    barrier, results = threading.Barrier(2), []

    def use(password: str) -> None:
        barrier.wait()
        with db.session() as session:
            results.append(accounts.use_link(session, secret, CHEAP.hash(password)))

    threads = [threading.Thread(target=use, args=(f"password number {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(result is None for result in results) == [False, True]
    with db.session() as session:
        assert accounts.find_person(session, person.email).session_epoch == 1
