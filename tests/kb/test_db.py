"""kb.db: the SQLite file is shared safely by processes that open it at the same moment."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import text

from kb.db import Database

# Without the retry about one pair in seven lost the race to switch a new file to WAL mode.
_ROUNDS = 30


def _open_and_write(url: str, start, results) -> None:
    start.wait()
    try:
        database = Database(url)
        with database.session() as session:
            session.execute(text("CREATE TABLE IF NOT EXISTS marks (n INTEGER)"))
            session.execute(text("INSERT INTO marks VALUES (1)"))
        database.engine.dispose()
        results.put("ok")
    except Exception as error:  # noqa: BLE001 - the test reports what the process raised
        results.put(repr(error))


def test_two_processes_opening_a_new_file_at_once_both_succeed(tmp_path):
    context = multiprocessing.get_context("fork")
    failures = []
    for round_ in range(_ROUNDS):
        url = f"sqlite:///{tmp_path / f'new-{round_}.sqlite3'}"
        start, results = context.Event(), context.Queue()
        processes = [context.Process(target=_open_and_write, args=(url, start, results))
                     for _ in range(2)]
        for process in processes:
            process.start()
        start.set()
        outcomes = [results.get(timeout=60) for _ in processes]
        for process in processes:
            process.join()
        failures += [outcome for outcome in outcomes if outcome != "ok"]
        with Database(url).engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("SELECT count(*) FROM marks")).scalar() == 2

    assert failures == []
