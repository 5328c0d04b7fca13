#!/usr/bin/env bash
# Two demo nodes on one PostgreSQL (or MariaDB): builds the demo once, starts node A on port 8080 and, once A is
# up (A creates the tables and the demo data), node B on 8081, both on the database of PS_DEMO_JDBC_URL. Ctrl+C
# stops both. Open http://localhost:8080/ and http://localhost:8081/ in one browser: the session cookie is per
# host, not per port, so both nodes see the same session. See docs/demo.md, "Two nodes on one database".
#
#   session-examples/two-nodes.sh
#   PS_DEMO_JDBC_URL='jdbc:mariadb://127.0.0.1:3306/test?user=root' session-examples/two-nodes.sh
#
# Environment: PS_DEMO_JDBC_URL (default jdbc:postgresql://127.0.0.1:5432/test?user=postgres),
# PS_DEMO_TABLE_PREFIX (default psdemo_), PS_DEMO_CHANGE_BUS (default auto), PORT_A / PORT_B (8080 / 8081),
# SKIP_BUILD=1 to reuse session-examples/target/platform-sessions-demo.jar.
set -euo pipefail
cd "$(dirname "$0")/.."

export PS_DEMO_JDBC_URL="${PS_DEMO_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
export PS_DEMO_TABLE_PREFIX="${PS_DEMO_TABLE_PREFIX:-psdemo_}"
PORT_A="${PORT_A:-8080}"
PORT_B="${PORT_B:-8081}"
JAR=session-examples/target/platform-sessions-demo.jar

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building the demo (mvn -q -pl session-examples -am package -DskipTests)..."
  mvn -q -pl session-examples -am package -DskipTests
fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for port in "$PORT_A" "$PORT_B"; do
  if listening "$port"; then
    echo "two-nodes.sh: port $port is in use; set PORT_A / PORT_B" >&2
    exit 1
  fi
done

PORT="$PORT_A" java -jar "$JAR" > >(sed -u 's/^/[A] /') 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do # up to 60 s
  listening "$PORT_A" && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "two-nodes.sh: node A did not start" >&2; exit 1; }
  sleep 0.1
done
listening "$PORT_A" || { echo "two-nodes.sh: node A is not listening on $PORT_A after 60 s" >&2; exit 1; }

PORT="$PORT_B" java -jar "$JAR" > >(sed -u 's/^/[B] /') 2>&1 &
pids+=($!)

echo "two-nodes.sh: node A http://localhost:$PORT_A/  node B http://localhost:$PORT_B/  (Ctrl+C stops both)"
# return as soon as either node exits (the trap stops the other)
while kill -0 "${pids[0]}" 2>/dev/null && kill -0 "${pids[1]}" 2>/dev/null; do
  sleep 1
done
