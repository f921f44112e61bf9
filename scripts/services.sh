#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis for a test run (README, "Running on PostgreSQL and Redis").
#
#   scripts/services.sh run CMD...   start both, run CMD with their URLs in the environment, stop both (always)
#   scripts/services.sh start DIR    start both with their data in DIR; prints the environment to export
#   scripts/services.sh stop DIR     stop what `start DIR` started
#   scripts/services.sh pg-start DIR start PostgreSQL again, as `start DIR` did (after a test killed it)
#
# Installs Debian's postgresql and redis-server with apt when missing. Both listen on 127.0.0.1 only, on free
# ports, with their data in a temporary folder that is deleted afterwards; PostgreSQL runs with fsync off (a test
# cluster: nothing in it must survive a power cut). PostgreSQL refuses to run as root, so as root the cluster is
# run as the `postgres` user (Debian's package creates it), in a folder that user owns.
# The environment CMD gets: DATABASE_URL (the cluster's `postgres` database; tests make one database each from
# it), RATELIMIT_STORAGE_URI and JOBS_URL (Redis databases 0 and 1), PORTAL_TEST_SERVICES=postgresql+redis, and
# PORTAL_TEST_SERVICES_DIR (the folder: the server's pid is the first line of pg/data/postmaster.pid).
set -euo pipefail

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install_missing() {
  local missing=()
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ "${#missing[@]}" -gt 0 ] || return 0
  echo "Installing Debian's ${missing[*]} for the PostgreSQL+Redis test pass" >&2
  apt-get update -qq
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    # No system-wide cluster on port 5432: the run makes its own (as the official PostgreSQL container image does).
    apt_install postgresql-common
    sed -ri 's/^#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
  fi
  apt_install "${missing[@]}"
}

pg_bin() {
  local dirs
  dirs=$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -1)
  echo "$dirs"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  local dir=$1 pg_port
  pg_port=$(cat "$dir/pg/port")
  as_pg "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$dir/pg -c fsync=off \
     -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null \
    || { cat "$dir/pg/server.log" >&2; return 1; }
}

pg_restart() {
  # After a SIGKILL the lock files (the data folder's and the socket's) name a server that is gone, or a zombie
  # nobody reaps (as PID 1 of a container may leave it); PostgreSQL would take it for a running server. Only the
  # lock file of a dead server is removed.
  local dir=$1 lock pid state
  for lock in "$dir/pg/data/postmaster.pid" "$dir/pg/.s.PGSQL.$(cat "$dir/pg/port").lock"; do
    [ -f "$lock" ] || continue
    pid=$(head -1 "$lock")
    state=$(sed -E 's/^.*\) ([A-Z]).*$/\1/' "/proc/$pid/stat" 2>/dev/null || echo gone)
    if [ "$state" = gone ] || [ "$state" = Z ]; then
      rm -f "$lock"
    fi
  done
  pg_start "$dir"
}

start() {
  local dir=$1 bin pg_port redis_port started
  started=$(date +%s.%N)
  install_missing
  bin=$(pg_bin)
  mkdir -p "$dir"
  chmod 755 "$dir"
  mkdir -p "$dir/pg" "$dir/redis"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir/pg"
  pg_port=$(free_port)
  redis_port=$(free_port)
  as_pg "$bin/initdb" -D "$dir/pg/data" --auth=trust --username=postgres --encoding=UTF8 --locale=C.UTF-8 \
    >"$dir/pg/initdb.log" 2>&1 || { cat "$dir/pg/initdb.log" >&2; return 1; }
  echo "$pg_port" >"$dir/pg/port"
  pg_start "$dir" || return 1
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$dir/redis" --save '' --appendonly no \
    --daemonize yes --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log"
  for _ in $(seq 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -p "$redis_port" ping >/dev/null
  cat >"$dir/env" <<EOF
export DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$pg_port/postgres
export RATELIMIT_STORAGE_URI=redis://127.0.0.1:$redis_port/0
export JOBS_URL=redis://127.0.0.1:$redis_port/1
export PORTAL_TEST_SERVICES=postgresql+redis
export PORTAL_TEST_SERVICES_DIR=$dir
EOF
  echo "services: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port, Redis on" \
    "127.0.0.1:$redis_port, up in $(python3 -c "import time; print(f'{time.time() - $started:.1f}')") s" >&2
}

stop() {
  local dir=$1
  if [ -f "$dir/pg/data/postmaster.pid" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null || true
  fi
  if [ -f "$dir/redis/redis.pid" ]; then
    local pid
    pid=$(cat "$dir/redis/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
}

case "${1:-}" in
  start)
    start "$2"
    cat "$2/env"
    ;;
  stop)
    stop "$2"
    ;;
  pg-start)
    pg_restart "$2"
    ;;
  run)
    shift
    dir=$(mktemp -d "${TMPDIR:-/tmp}/portal-services.XXXXXX")
    trap 'stop "$dir"; rm -rf "$dir"' EXIT INT TERM
    start "$dir"
    # shellcheck disable=SC1091
    source "$dir/env"
    "$@"
    ;;
  *)
    echo "usage: $0 run CMD... | start DIR | stop DIR | pg-start DIR" >&2
    exit 2
    ;;
esac
