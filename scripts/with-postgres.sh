#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL server on loopback, exported to it as
# DEFLECT_TEST_DATABASE_URL (the ticket tests then run a second time against it).
#   scripts/with-postgres.sh .venv/bin/python -m pytest
# If DEFLECT_TEST_DATABASE_URL is already set, the command runs as is. If no PostgreSQL is
# installed (scripts/system-deps.sh installs Debian's), the command runs on SQLite only.
set -euo pipefail

if [ -n "${DEFLECT_TEST_DATABASE_URL:-}" ]; then
    exec "$@"
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "with-postgres: PostgreSQL is not installed; running on SQLite only" >&2
    exec "$@"
fi

workdir=$(mktemp -d /tmp/deflect-pg.XXXXXX)
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root: the server runs as the postgres system user.
    chown postgres: "$workdir"
    as_owner=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$workdir"
}
trap stop EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$workdir/data" -U postgres -A trust -E UTF8 \
    --no-locale >/dev/null
"${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $workdir -c fsync=off -c max_connections=300" start >/dev/null

export DEFLECT_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $(basename "$(dirname "$bindir")") on 127.0.0.1:$port" >&2
status=0
"$@" || status=$?
exit "$status"
