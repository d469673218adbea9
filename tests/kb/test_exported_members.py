"""``kb`` exports exactly its public surface."""

import kb


def test_kb_exports_its_public_names():
    exported = {name for name in dir(kb) if not name.startswith("_")}
    modules = {"articles", "db", "knowledge", "loader", "rendering", "events", "tickets",
               "submissions", "ratelimit", "uploads", "mail", "accounts"}
    assert exported - modules == set(kb.__all__)
