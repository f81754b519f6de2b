#!/usr/bin/env bash
# The production topology on this one machine, every part a real service on its own port and data directory:
#   pg_auto_failover monitor + two PostgreSQL 15 nodes (primary, synchronous standby, automatic failover),
#   pgBackRest (WAL archive, scheduled full/incremental backups), Redis, two gunicorn app nodes,
#   Celery worker and beat, nginx in front.
# Usage: deploy/cluster.sh up | down [--purge] | status | env | backup full|incr
# Ports and directories: deploy/cluster.env. Several machines: docs/deploy.md (systemd units in deploy/systemd).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=cluster.env
. "$ROOT/deploy/cluster.env"
D=$CLUSTER_DIR
RUN=$D/run
LOG=$D/log
BIN=$ROOT/.venv/bin
export PATH="$PG_BIN:$PATH"

say() { printf '[cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
as_pg() { runuser -u postgres -- env PATH="$PATH" XDG_CONFIG_HOME="$D/pg/config" XDG_DATA_HOME="$D/pg/data" "$@"; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
psql_node() { local port=$1; shift; as_pg psql -h /var/run/postgresql -p "$port" -X -qAt "$@"; }
monitor_uri="postgres://autoctl_node@127.0.0.1:$MONITOR_PORT/pg_auto_failover?sslmode=disable"
node_dir() { echo "$D/pg/node$1"; }

packages() {
  local missing=()
  command -v nginx >/dev/null || missing+=(nginx-light)
  command -v pg_autoctl >/dev/null || missing+=(postgresql-15-auto-failover)
  [ -x "$PG_BIN/postgres" ] || missing+=(postgresql-15)
  command -v pgbackrest >/dev/null || missing+=(pgbackrest)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Debian starts the packaged services on install: this topology runs its own, on its own ports.
    if [[ " ${missing[*]} " == *" nginx-light "* ]] && [ -f /run/nginx.pid ]; then nginx -s quit || true; fi
  fi
  [ -x "$BIN/gunicorn" ] || make -C "$ROOT" -s .venv/.installed
  [ -x "$BIN/gunicorn" ] || "$BIN/pip" install --quiet -r "$ROOT/requirements.txt"
}

render() {  # template → file, @NAME@ from the variables of this script
  sed -e "s#@RUN@#$RUN#g" -e "s#@LOG@#$LOG#g" -e "s#@NGINX@#$D/nginx#g" -e "s#@STATIC@#$ROOT/var/static#g" \
    -e "s#@APP1_PORT@#$APP1_PORT#g" -e "s#@APP2_PORT@#$APP2_PORT#g" -e "s#@SIGNIN_PORT@#$SIGNIN_PORT#g" -e "s#@NGINX_PORT@#$NGINX_PORT#g" \
    -e "s#@REPO@#$D/backup#g" -e "s#@NODE1@#$(node_dir 1)#g" -e "s#@NODE2@#$(node_dir 2)#g" \
    -e "s#@NODE1_PORT@#$NODE1_PORT#g" -e "s#@NODE2_PORT@#$NODE2_PORT#g" "$1" >"$2"
}

pg_run() {  # start pg_autoctl (it starts and watches its PostgreSQL) for a data directory, in the background
  local pgdata=$1 name=$2
  alive "$RUN/$name.pid" && return 0
  as_pg setsid pg_autoctl run --pgdata "$pgdata" >>"$LOG/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

node_state() {  # the monitor's reported state of a node: primary, secondary, single, wait_primary, …
  psql_node "$MONITOR_PORT" -d pg_auto_failover -c \
    "SELECT reportedstate FROM pgautofailover.node WHERE nodename = 'node$1'" 2>/dev/null || true
}

wait_for() {  # wait_for SECONDS what command…
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 "$((seconds * 2))"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  say "timed out waiting for $what"; return 1
}

state_is() { [ "$(node_state "$1")" = "$2" ]; }

database_up() {
  mkdir -p "$D/pg" "$D/backup" "$RUN/pgbackrest"
  chown -R postgres: "$D/pg" "$D/backup" "$RUN/pgbackrest" "$LOG"
  render "$ROOT/deploy/pgbackrest.conf.template" "$D/pgbackrest.conf"
  chmod 644 "$D/pgbackrest.conf"
  if [ ! -f "$D/pg/monitor/PG_VERSION" ]; then
    say "pg_auto_failover monitor on $MONITOR_PORT"
    as_pg pg_autoctl create monitor --pgdata "$D/pg/monitor" --pgport "$MONITOR_PORT" --hostname 127.0.0.1 \
      --auth trust --no-ssl >>"$LOG/create.log" 2>&1
  fi
  pg_run "$D/pg/monitor" monitor
  wait_for 60 "the monitor" psql_node "$MONITOR_PORT" -d pg_auto_failover -c "SELECT 1"
  # Fail over within seconds, not the default half-minute (health checks every second, down after 5 s).
  psql_node "$MONITOR_PORT" -d pg_auto_failover -f "$ROOT/deploy/monitor.sql" >/dev/null
  for n in 1 2; do
    local dir port
    dir=$(node_dir $n)
    port=$([ $n = 1 ] && echo "$NODE1_PORT" || echo "$NODE2_PORT")
    if [ ! -f "$dir/PG_VERSION" ]; then
      say "PostgreSQL node$n on $port"
      as_pg pg_autoctl create postgres --pgdata "$dir" --pgport "$port" --hostname 127.0.0.1 --name "node$n" \
        --auth trust --no-ssl --monitor "$monitor_uri" --dbname "$DB_NAME" --username ejournal_owner \
        >>"$LOG/create.log" 2>&1
      render "$ROOT/deploy/postgresql.cluster.conf" "$dir/ejournal-cluster.conf"
      sed -i -e "s#@CONFIG@#$D/pgbackrest.conf#g" -e "s#@PGDATA@#$dir#g" "$dir/ejournal-cluster.conf"
      chown postgres: "$dir/ejournal-cluster.conf"
      grep -q ejournal-cluster.conf "$dir/postgresql.conf" || echo "include 'ejournal-cluster.conf'" >>"$dir/postgresql.conf"
    fi
    # Below the monitor's primary_demote_timeout (deploy/monitor.sql): a cut-off primary demotes itself first.
    as_pg pg_autoctl config set --pgdata "$dir" timeout.network_partition_timeout 6 >/dev/null
    pg_run "$dir" "node$n"
    if [ $n = 1 ]; then
      wait_for 90 "node1 as the primary" bash -c "$(declare -f node_state psql_node as_pg); D=$D MONITOR_PORT=$MONITOR_PORT; s=\$(node_state 1); [ \"\$s\" = single ] || [ \"\$s\" = primary ] || [ \"\$s\" = wait_primary ] || [ \"\$(node_state 2)\" = primary ]"
      stanza
    fi
  done
  wait_for 180 "a primary and a secondary" both_nodes_up
}

both_nodes_up() {
  local a b; a=$(node_state 1); b=$(node_state 2)
  { [ "$a" = primary ] && [ "$b" = secondary ]; } || { [ "$a" = secondary ] && [ "$b" = primary ]; }
}

primary_port() {
  psql_node "$MONITOR_PORT" -d pg_auto_failover -c \
    "SELECT nodeport FROM pgautofailover.node WHERE reportedstate IN ('primary','wait_primary','single') LIMIT 1"
}

stanza() {
  if [ ! -f "$D/backup/.stanza" ]; then
    say "pgBackRest stanza"
    wait_for 60 "a writable primary" bash -c "[ -n \"\$(runuser -u postgres -- psql -h /var/run/postgresql -p $NODE1_PORT -XqAt -c 'SELECT 1 WHERE NOT pg_is_in_recovery()' postgres 2>/dev/null)\" ]"
    as_pg pgbackrest --config="$D/pgbackrest.conf" --stanza=ejournal stanza-create >>"$LOG/backup.log" 2>&1
    as_pg pgbackrest --config="$D/pgbackrest.conf" --stanza=ejournal check >>"$LOG/backup.log" 2>&1
    touch "$D/backup/.stanza"
  fi
}

backup() {  # backup full|incr: from whichever node is the primary
  as_pg pgbackrest --config="$D/pgbackrest.conf" --stanza=ejournal --type="${1:-incr}" backup
}

first_backup() {
  if ! as_pg pgbackrest --config="$D/pgbackrest.conf" --stanza=ejournal info --output=json 2>/dev/null | grep -q '"label"'; then
    say "the first full backup"
    backup full >>"$LOG/backup.log" 2>&1
  fi
}

roles_and_schema() {
  local port; port=$(primary_port)
  if [ ! -f "$D/app.env" ]; then
    say "roles: ejournal_owner (migrations) and ejournal_app (the app: data only)"
    local pw; pw=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    sed "s#@APP_PASSWORD@#$pw#g" "$ROOT/deploy/roles.sql" | psql_node "$port" -d "$DB_NAME" -v ON_ERROR_STOP=1 >/dev/null
    local hosts="127.0.0.1:$NODE1_PORT,127.0.0.1:$NODE2_PORT"
    # Single quotes: read by this script (bash) and by systemd's EnvironmentFile= alike.
    cat >"$D/app.env" <<EOF
DATABASE_URL='postgres://ejournal_app:$pw@$hosts/$DB_NAME?target_session_attrs=read-write&connect_timeout=2'
DATABASE_REPLICA_URL='postgres://ejournal_app:$pw@$hosts/$DB_NAME?target_session_attrs=prefer-standby&connect_timeout=2'
MIGRATE_DATABASE_URL='postgres://ejournal_owner@$hosts/$DB_NAME?target_session_attrs=read-write&connect_timeout=2'
REDIS_URL='redis://127.0.0.1:$REDIS_PORT/1'
CELERY_BROKER_URL='redis://127.0.0.1:$REDIS_PORT/0'
DJANGO_DEBUG=0
DJANGO_SECRET_KEY='$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')'
DJANGO_ALLOWED_HOSTS='127.0.0.1,localhost'
TRUSTED_PROXY_COUNT=1
LOG_FORMAT=json
LOG_LEVEL=WARNING
SITE_URL='http://127.0.0.1:$NGINX_PORT'
EOF
    chmod 600 "$D/app.env"
  fi
}

app_env() { set -a; . "$D/app.env"; set +a; export DB_POOL_MAX DB_POOL_MIN; }

schema_and_demo() {
  if [ ! -f "$D/.demo" ]; then
    say "migrations (as ejournal_owner) and the demo city ($CLUSTER_SCHOOLS school(s), $CLUSTER_STUDENTS students)"
    (app_env; export DATABASE_URL=$MIGRATE_DATABASE_URL DATABASE_REPLICA_URL=
     cd "$ROOT"
     "$BIN/python" manage.py migrate --noinput -v0
     "$BIN/python" manage.py demo_city --schools "$CLUSTER_SCHOOLS" --students-per-school "$CLUSTER_STUDENTS" >"$LOG/demo.log"
     "$BIN/python" manage.py collectstatic --noinput -v0) 
    touch "$D/.demo"
  fi
}

redis_up() {
  mkdir -p "$D/redis"
  alive "$RUN/redis.pid" && return 0
  say "Redis on $REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$D/redis" --daemonize yes --pidfile "$RUN/redis.pid" \
    --logfile "$LOG/redis.log" --save "" --appendonly yes --maxmemory 256mb --maxmemory-policy noeviction
  wait_for 10 "Redis" redis-cli -p "$REDIS_PORT" ping
}

apps_up() {
  local i port
  for i in 1 2; do
    port=$([ $i = 1 ] && echo "$APP1_PORT" || echo "$APP2_PORT")
    alive "$RUN/app$i.pid" && continue
    say "gunicorn app$i on $port ($APP_WORKERS × $APP_THREADS, DB_POOL_MAX=$DB_POOL_MAX)"
    (app_env; cd "$ROOT"
     APP_WORKERS=$APP_WORKERS APP_THREADS=$APP_THREADS PROMETHEUS_MULTIPROC_DIR="$D/prometheus/app$i" \
       setsid "$BIN/gunicorn" -c deploy/gunicorn.conf.py --bind "127.0.0.1:$port" --pid "$RUN/app$i.pid" \
       >>"$LOG/app$i.log" 2>&1 </dev/null &)
  done
  signin_up
  for i in 1 2; do
    port=$([ $i = 1 ] && echo "$APP1_PORT" || echo "$APP2_PORT")
    wait_for 60 "app$i" curl -fs -o /dev/null "http://127.0.0.1:$port/healthz"
  done
  wait_for 60 "the sign-in pool" curl -fs -o /dev/null "http://127.0.0.1:$SIGNIN_PORT/healthz"
}

signin_up() {  # the sign-in pool under SCHED_IDLE (as ejournal-signin.service's CPUSchedulingPolicy=idle)
  alive "$RUN/signin.pid" && return 0
  say "gunicorn sign-in pool on $SIGNIN_PORT (1 × $SIGNIN_THREADS, SCHED_IDLE, SIGNIN_CONCURRENCY=1)"
  (app_env; cd "$ROOT"
   APP_WORKERS=1 APP_THREADS=$SIGNIN_THREADS SIGNIN_CONCURRENCY=1 PROMETHEUS_MULTIPROC_DIR="$D/prometheus/signin" \
     setsid chrt --idle 0 "$BIN/gunicorn" -c deploy/gunicorn.conf.py --bind "127.0.0.1:$SIGNIN_PORT" \
     --pid "$RUN/signin.pid" >>"$LOG/signin.log" 2>&1 </dev/null &)
}

celery_up() {
  alive "$RUN/worker.pid" || (app_env; cd "$ROOT"; setsid "$BIN/celery" -A ejournal worker --concurrency 1 \
    --loglevel WARNING --pidfile "$RUN/worker.pid" >>"$LOG/worker.log" 2>&1 </dev/null &)
  alive "$RUN/beat.pid" || (app_env; cd "$ROOT"; setsid "$BIN/celery" -A ejournal beat --loglevel WARNING \
    --schedule "$D/celerybeat-schedule" --pidfile "$RUN/beat.pid" >>"$LOG/beat.log" 2>&1 </dev/null &)
  alive "$RUN/backups.pid" || { setsid "$ROOT/deploy/backup-schedule.sh" >>"$LOG/backup.log" 2>&1 </dev/null &
    echo $! >"$RUN/backups.pid"; }
}

nginx_up() {
  mkdir -p "$D/nginx/tmp"
  render "$ROOT/deploy/nginx.conf.template" "$D/nginx/nginx.conf"
  chown -R www-data: "$D/nginx/tmp"
  nginx -t -q -c "$D/nginx/nginx.conf" -p "$D/nginx"
  if alive "$RUN/nginx.pid"; then nginx -s reload -c "$D/nginx/nginx.conf" -p "$D/nginx"; return; fi
  say "nginx on $NGINX_PORT"
  nginx -c "$D/nginx/nginx.conf" -p "$D/nginx"
  wait_for 10 "nginx" curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/healthz"
}

up() {
  packages
  mkdir -p "$RUN" "$LOG" "$D/prometheus"
  database_up
  roles_and_schema
  redis_up
  schema_and_demo
  first_backup
  apps_up
  celery_up
  nginx_up
  say "readyz: $(curl -s "http://127.0.0.1:$NGINX_PORT/readyz")"
  echo "ejournal cluster: http://127.0.0.1:$NGINX_PORT/  (demo logins: manage.py demo_logins; state: deploy/cluster.sh status)"
}

stop_pid() {  # stop_pid NAME [SIGNAL]: the process of RUN/NAME.pid and wait for it
  local file=$RUN/$1.pid
  alive "$file" || { rm -f "$file"; return 0; }
  local pid; pid=$(cat "$file")
  kill "-${2:-TERM}" "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  rm -f "$file"
}

down() {
  [ -f "$RUN/nginx.pid" ] && { nginx -s quit -c "$D/nginx/nginx.conf" -p "$D/nginx" 2>/dev/null || true; sleep 1; }
  for name in backups beat worker app1 app2 signin; do stop_pid "$name"; done
  alive "$RUN/redis.pid" && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -f "$RUN/redis.pid"
  for name in node2 node1 monitor; do
    local dir; [ $name = monitor ] && dir=$D/pg/monitor || dir=$(node_dir "${name#node}")
    [ -f "$dir/PG_VERSION" ] && as_pg pg_autoctl stop --pgdata "$dir" >/dev/null 2>&1 || true
    stop_pid "$name"
  done
  say "stopped"
  if [ "${1:-}" = --purge ]; then rm -rf "$D"; say "removed $D"; fi
}

status() {
  as_pg pg_autoctl show state --pgdata "$D/pg/monitor" 2>/dev/null || echo "monitor: not running"
  for name in redis app1 app2 signin worker beat backups nginx; do
    printf '%-8s %s\n' "$name" "$(alive "$RUN/$name.pid" && echo "running ($(cat "$RUN/$name.pid"))" || echo stopped)"
  done
  curl -s "http://127.0.0.1:$NGINX_PORT/readyz" && echo
}

case "${1:-}" in
  up) up ;;
  down) down "${2:-}" ;;
  status) status ;;
  env) cat "$D/app.env" ;;
  backup) backup "${2:-incr}" ;;
  primary-port) primary_port ;;
  node-state) node_state "$2" ;;
  start-node) mkdir -p "$RUN"; pg_run "$(node_dir "$2")" "node$2" ;;
  stop-node) as_pg pg_autoctl stop --pgdata "$(node_dir "$2")" --immediate; stop_pid "node$2" ;;
  both-up) both_nodes_up ;;
  apps-restart) stop_pid app1; stop_pid app2; stop_pid signin; apps_up ;;  # e.g. DB_POOL_MAX=2 deploy/cluster.sh apps-restart
  *) echo "usage: $0 up | down [--purge] | status | env | backup full|incr"; exit 2 ;;
esac
