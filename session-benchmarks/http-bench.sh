#!/usr/bin/env bash
# HTTP-level benchmark (issue 16): installs wrk if missing, builds the benchmarks jar, and runs
# io.platformsessions.benchmarks.http.HttpBenchmark in one server JVM. Arguments are passed on
# (--quick, --db=h2|postgres|both, --pg-url=URL, --rounds=N, --slice=SECONDS, --profile[=SECONDS],
# --out=FILE, ...); --no-build skips the Maven build. See session-benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
args=()
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done

if ! command -v wrk >/dev/null 2>&1; then
  echo "[http-bench] installing wrk" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
if [ "$build" = 1 ]; then
  echo "[http-bench] building session-benchmarks/target/benchmarks.jar" >&2
  mvn -B -q -Pbenchmarks -pl session-benchmarks -am package -DskipTests -Dmaven.javadoc.skip=true
fi

commit=$(git rev-parse --short HEAD 2>/dev/null || true)
jvm=(-Xms1g -Xmx1g -XX:+UseG1GC)   # fixed heap: no resizing between slices
for a in "${args[@]}"; do
  case "$a" in
    --profile*)
      # profile runs only (they time nothing): deep stacks, samples between safepoints, and small
      # fixed TLABs so that JFR's allocation samples (taken at TLAB refills) come every ~16 kB
      jvm+=(-XX:FlightRecorderOptions:stackdepth=256 -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints
            -XX:TLABSize=16k -XX:-ResizeTLAB) ;;
  esac
done
exec java "${jvm[@]}" -Dps.bench.commit="$commit" -Dps.bench.jfrDir=session-benchmarks/target \
  -cp session-benchmarks/target/benchmarks.jar io.platformsessions.benchmarks.http.HttpBenchmark "${args[@]}"
