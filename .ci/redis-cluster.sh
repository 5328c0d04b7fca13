#!/usr/bin/env bash
# Starts (or stops) a throw-away 3-master Redis Cluster on loopback for the session-redis tests:
#   .ci/redis-cluster.sh start   -> ports 7101-7103 (override with PS_REDIS_CLUSTER_PORTS="7101 7102 7103")
#   .ci/redis-cluster.sh stop    -> stops only the servers this script started (pid files in its own directory)
#   .ci/redis-cluster.sh status
# No persistence (no RDB, no AOF), own directories under /tmp. Idempotent: start on a healthy cluster does nothing.
set -euo pipefail

PORTS=${PS_REDIS_CLUSTER_PORTS:-"7101 7102 7103"}
BASE=${PS_REDIS_CLUSTER_DIR:-/tmp/ps-redis-cluster}
log() { printf '[redis-cluster] %s\n' "$*"; }

first_port() { set -- $PORTS; echo "$1"; }

healthy() {
  local info
  info=$(redis-cli -h 127.0.0.1 -p "$(first_port)" cluster info 2>/dev/null) || return 1
  grep -q 'cluster_state:ok' <<<"$info" && grep -q 'cluster_known_nodes:3' <<<"$info"
}

start() {
  command -v redis-server >/dev/null || { log "ERROR: redis-server is not installed"; exit 1; }
  if healthy; then log "cluster on ports $PORTS is already up"; return 0; fi
  local nodes=()
  for port in $PORTS; do
    local dir="$BASE/$port"
    if redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
      if [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then
        log "port $port: our server from an earlier start; restarting it clean"
        stop_one "$port"
      else
        log "ERROR: port $port is taken by a server this script did not start; not touching it"; exit 1
      fi
    fi
    rm -rf "$dir"; mkdir -p "$dir"
    redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" \
      --logfile "$dir/redis.log" --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-node-timeout 2000 --save '' --appendonly no
    nodes+=("127.0.0.1:$port")
  done
  for port in $PORTS; do
    for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$BASE/create.log" 2>&1 \
    || { log "ERROR: cluster create failed:"; cat "$BASE/create.log"; exit 1; }
  for _ in $(seq 1 100); do
    if healthy; then log "cluster up on ports $PORTS"; return 0; fi
    sleep 0.1
  done
  log "ERROR: cluster did not reach cluster_state:ok"; exit 1
}

stop_one() {
  local pidfile="$BASE/$1/redis.pid"
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$pidfile"
}

stop() {
  for port in $PORTS; do stop_one "$port"; done
  log "stopped the servers this script started (if any)"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) if healthy; then log "up"; else log "down"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
