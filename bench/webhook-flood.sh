#!/usr/bin/env bash
# Webhook flood benchmark (loopback only, bounded: about 1 minute). Builds the jar and the test
# classes, then runs dev.alertdesk.bench.WebhookFloodBenchmark: 200 clients send 1,000-alert
# webhooks back to back for 30 s to target/alertdesk.jar (started by ./alertdesk with the
# launcher's JVM options) on a fresh SQLite directory; prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package test-compile
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.alertdesk.bench.WebhookFloodBenchmark
