#!/usr/bin/env bash
# Noise benchmark (loopback only, bounded: about 3 minutes). Counts the Slack messages a person
# sees for a 200-group storm and a 1-hour flapping trace, through Alertmanager's own slack_configs
# receiver and through Alertdesk with the README's example noise rules. Needs
# /usr/bin/prometheus-alertmanager. Prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package test-compile
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  -Dalertdesk.log.level=WARN \
  dev.alertdesk.bench.NoiseMessagesBenchmark
