#!/bin/sh
# The Postgres stand-in's entrypoint, what the postgres image does with our compose file: a cluster
# made on first start (POSTGRES_HOST_AUTH_METHOD for every host), /docker-entrypoint-initdb.d/*.sql
# run once on it, then the server in the foreground as the postgres user.
set -e
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
mkdir -p "$PGDATA" /var/run/postgresql
chown -R postgres:postgres "$PGDATA" /var/run/postgresql
as_postgres() { runuser -u postgres -- "$@"; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  as_postgres initdb -D "$PGDATA" -U postgres --auth-local=trust --auth-host="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" > /dev/null
  echo "host all all all ${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >> "$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.auto.conf"
  as_postgres pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start > /dev/null
  for f in /docker-entrypoint-initdb.d/*.sql; do
    [ -e "$f" ] && as_postgres psql -v ON_ERROR_STOP=1 -U postgres -q -f "$f"
  done
  as_postgres pg_ctl -D "$PGDATA" -m fast -w stop > /dev/null
fi
exec runuser -u postgres -- "$@" -D "$PGDATA"
