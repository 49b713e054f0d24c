#!/usr/bin/env bash
# Distributed mode on one machine: PostgreSQL and Redis from Debian's packages on loopback ports, each service as its
# own process (two engine replicas), the gateway in front on Playbooks__Url (default http://127.0.0.1:8080).
# State lives in .data/distributed; Ctrl+C stops everything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
state="$root/.data/distributed"
pg_port=${PLAYBOOKS_PG_PORT:-55432}
redis_port=${PLAYBOOKS_REDIS_PORT:-56379}
url=${Playbooks__Url:-http://127.0.0.1:8080}
mkdir -p "$state"

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL is not installed: apt-get install postgresql" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "Redis is not installed: apt-get install redis-server" >&2; exit 1; }
as_postgres=""
if [ "$(id -u)" -eq 0 ]; then as_postgres="runuser -u postgres --"; fi

if [ ! -f "$state/pg/PG_VERSION" ]; then
  mkdir -p "$state/pg" && { [ -z "$as_postgres" ] || chown postgres "$state/pg"; }
  $as_postgres "$pg_bin/initdb" -D "$state/pg" -U playbooks --auth=trust >/dev/null
fi
$as_postgres "$pg_bin/pg_ctl" -D "$state/pg" -o "-p $pg_port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300" -l "$state/pg/server.log" -w start >/dev/null
"$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U playbooks -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'playbooks'" | grep -q 1 \
  || "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U playbooks playbooks
redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --dir "$state" --appendonly yes --save "" --logfile "$state/redis.log"
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

pids=()
stop() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  $as_postgres "$pg_bin/pg_ctl" -D "$state/pg" -m fast stop >/dev/null 2>&1 || true
}
trap stop EXIT INT TERM

for host in services/*/Host/Host.csproj gateway/Host/Host.csproj; do dotnet build "$host" -c Release -nologo -v q -clp:NoSummary; done
export Playbooks__Mode=Distributed
export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$pg_port;Database=playbooks;Username=playbooks"
export ConnectionStrings__Redis="127.0.0.1:$redis_port"
# One key signs and checks tokens in every process; kept with the data so sign-ins survive a restart.
[ -f "$state/signing-key" ] || (umask 077; head -c 48 /dev/urandom | base64 -w0 > "$state/signing-key")
export Playbooks__Auth__SigningKey="${Playbooks__Auth__SigningKey:-$(cat "$state/signing-key")}"
# Distributed mode has no dev sign-in unless asked; this script is for trying the suite on one machine, so it asks.
export Playbooks__Auth__DevSignIn="${Playbooks__Auth__DevSignIn:-true}"

start() { # name port dll
  ASPNETCORE_URLS="http://127.0.0.1:$2" dotnet "$3" > "$state/$1-$2.log" 2>&1 &
  pids+=($!)
}
start engine 5101 services/Engine/Host/bin/Release/net10.0/Playbooks.Engine.Host.dll
start engine 5102 services/Engine/Host/bin/Release/net10.0/Playbooks.Engine.Host.dll
start tasks 5201 services/Tasks/Host/bin/Release/net10.0/Playbooks.Tasks.Host.dll
start notifications 5301 services/Notifications/Host/bin/Release/net10.0/Playbooks.Notifications.Host.dll
start metrics 5401 services/Metrics/Host/bin/Release/net10.0/Playbooks.Metrics.Host.dll
export Playbooks__Services__engine="http://127.0.0.1:5101,http://127.0.0.1:5102"
export Playbooks__Services__tasks="http://127.0.0.1:5201"
export Playbooks__Services__notifications="http://127.0.0.1:5301"
export Playbooks__Services__metrics="http://127.0.0.1:5401"
[ -d web/dist ] && export Playbooks__WebRoot="$root/web/dist"
ASPNETCORE_URLS="$url" dotnet gateway/Host/bin/Release/net10.0/Playbooks.Gateway.Host.dll > "$state/gateway.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 100); do curl -sf "$url/api/engine/health/ready" >/dev/null && break; sleep 0.2; done
echo "Playbooks (distributed) is running at $url — PostgreSQL :$pg_port, Redis :$redis_port, logs in $state. Ctrl+C stops it."
wait -n "${pids[@]}"
