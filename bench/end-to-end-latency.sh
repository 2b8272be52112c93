#!/usr/bin/env bash
# End-to-end latency benchmark (loopback only, bounded: about 13 minutes with the default of one
# single-alert round). The same alerts go through one real Alertmanager to its own slack_configs
# and to Alertdesk (SQLite, then PostgreSQL with two replicas) posting to the Slack stand-in; prints
# the added latency (p50/p95) and the time until every parent of a 200-group storm is visible.
# Needs /usr/bin/prometheus-alertmanager and PostgreSQL on 127.0.0.1:5432 (ALERTDESK_TEST_POSTGRES_URL).
# Usage: bash bench/end-to-end-latency.sh [single-alert rounds [alerts per round [storm groups]]]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package test-compile
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  -Dalertdesk.log.level=WARN -Dbasedir="$PWD" \
  dev.alertdesk.bench.EndToEndLatencyBenchmark "$@"
