#!/usr/bin/env bash
# Webhook load benchmark (loopback only, bounded: ~1 minute). Builds the jar and the test classes,
# then runs dev.alertdesk.bench.WebhookLoadBenchmark, which starts target/alertdesk.jar on a fresh
# SQLite directory and prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package test-compile
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.alertdesk.bench.WebhookLoadBenchmark
