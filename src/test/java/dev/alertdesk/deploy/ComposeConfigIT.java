package dev.alertdesk.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/compose/}'s Prometheus and Alertmanager files, checked by the real tools of the
 * Debian packages ({@code promtool}, {@code amtool}), and the demo alert proven to fire with
 * {@code promtool test rules}.
 */
class ComposeConfigIT {
  @TempDir Path dir;

  @Test
  void theAlertmanagerConfigurationsAreValid() throws Exception {
    assertThat(run("amtool", "check-config",
        file("deploy/compose/alertmanager/alertmanager.yml"),
        file("deploy/compose/alertmanager/alertmanager-ha.yml"))).contains("SUCCESS");
  }

  @Test
  void thePrometheusConfigurationAndItsRulesAreValid() throws Exception {
    assertThat(run("promtool", "check", "config", file("deploy/compose/prometheus/prometheus.yml")))
        .contains("SUCCESS: 1 rule files found");
  }

  @Test
  void theDemoAlertFiresWhilePrometheusIsUp() throws Exception {
    Path test = dir.resolve("demo-test.yml");
    Files.writeString(test, """
        rule_files:
          - %s
        evaluation_interval: 15s
        tests:
          - interval: 15s
            input_series:
              - series: 'up{job="prometheus", instance="localhost:9090"}'
                values: '1x10'
            alert_rule_test:
              - eval_time: 15s
                alertname: AlertdeskDemo
                exp_alerts: []
              - eval_time: 1m
                alertname: AlertdeskDemo
                exp_alerts:
                  - exp_labels:
                      severity: warning
                      job: prometheus
                      instance: localhost:9090
                    exp_annotations:
                      summary: "Demo alert from deploy/compose: Prometheus is up, so this fires"
                      description: "Remove the alertdesk-demo group from prometheus/demo-rules.yml to stop it."
                      runbook_url: "https://prometheus.io/docs/alerting/latest/overview/"
        """.formatted(file("deploy/compose/prometheus/demo-rules.yml")), StandardCharsets.UTF_8);
    assertThat(run("promtool", "test", "rules", test.toString())).contains("SUCCESS");
  }

  private static String file(String relative) {
    return ProjectFiles.resolve(relative).toString();
  }

  /** Runs a tool of the Prometheus packages; returns its output, failing on a non-zero exit. */
  static String run(String... command) throws IOException, InterruptedException {
    Path binary = Path.of("/usr/bin", command[0]);
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(binary + " is missing: install the Debian packages "
          + "prometheus and prometheus-alertmanager");
    }
    List<String> args = new ArrayList<>(List.of(command));
    args.set(0, binary.toString());
    Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
    return output;
  }
}
