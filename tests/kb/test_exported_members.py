"""``kb`` exports exactly its public surface."""

import kb


def test_kb_exports_its_public_names():
    exported = {name for name in dir(kb) if not name.startswith("_")}
    modules = {"articles", "db", "knowledge", "loader", "rendering", "events", "tickets",
               "submissions", "ratelimit", "uploads", "mail", "accounts"}
    assert exported - modules == set(kb.__all__)


def test_kb_accounts_exports_its_public_names():
    from kb import accounts

    exported = {name for name in dir(accounts) if not name.startswith("_")}
    modules = {"credentials", "errors", "models", "passwords", "people", "totp"}
    assert exported - modules == set(accounts.__all__)
