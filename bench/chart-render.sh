#!/usr/bin/env bash
# Graph render benchmark (JMH, sample-time mode: p50/p99 per operation). Builds the test classes
# (the JMH annotation processor generates the benchmark harness), then runs
# dev.alertdesk.bench.ChartRenderBenchmark: 1 and 8 series of 500 points, and a Java2D+PNG
# baseline, in one forked JVM (about 2 minutes). Extra arguments go to JMH, e.g. -rf json.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Djava.awt.headless=true -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  org.openjdk.jmh.Main 'dev.alertdesk.bench.ChartRenderBenchmark' "$@"
