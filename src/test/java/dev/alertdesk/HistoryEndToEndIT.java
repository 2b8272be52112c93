package dev.alertdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alertdesk.app.Application;
import dev.alertdesk.config.Settings;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerProcess;
import dev.alertdesk.testing.AlertmanagerProcess.PostableAlert;
import dev.alertdesk.testing.HeadlessChromium;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * As a new user would try it: a real Alertmanager 0.25 fires and resolves a few alerts into the
 * running service with no Slack configured, and the web UI in headless Chromium shows the
 * incidents, their timelines and graphs, and ranks the noisiest alert first.
 */
class HistoryEndToEndIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path storage;
  private Application app;
  private AlertmanagerProcess alertmanager;

  @AfterEach
  void stop() {
    if (alertmanager != null) {
      alertmanager.close();
    }
    if (app != null) {
      app.close();
    }
  }

  private static PostableAlert alert(String name, String instance, Instant startsAt) {
    return PostableAlert.firing(Map.of("alertname", name, "instance", instance,
        "severity", "warning"), Map.of("summary", name + " on " + instance), startsAt, null);
  }

  private static JsonNode incident(AlertdeskClient api, String alertname) {
    JsonNode list = api.getJson("/api/incidents?alertname=" + alertname);
    return list.path("incidents").isEmpty() ? null : list.path("incidents").get(0);
  }

  private static boolean hasStatus(AlertdeskClient api, String alertname, String status,
      int reopenCount) {
    JsonNode i = incident(api, alertname);
    return i != null && i.path("status").asText().equals(status)
        && i.path("reopen_count").asInt() == reopenCount;
  }

  @Test
  void alertmanagerHistoryShowsInTheWebUiWithTheNoisiestAlertFirst() throws Exception {
    app = Application.start(Settings.load(Map.of("PORT", "0", "STORAGE_DIR", storage.toString())),
        Clock.systemUTC());
    AlertdeskClient api = new AlertdeskClient(app.port());
    alertmanager = AlertmanagerProcess.start("HistoryEndToEndIT", AlertmanagerProcess.Config
        .webhook("http://127.0.0.1:" + app.port() + "/api/alerts")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1)));

    Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    PostableAlert disk = alert("NoisyDisk", "db-1", t0);
    PostableAlert cpu = alert("RareCpu", "app-1", t0);

    // RareCpu fires once; NoisyDisk fires, resolves, fires again and resolves again.
    alertmanager.push(disk, cpu);
    await("both incidents open").atMost(TIMEOUT).until(() ->
        hasStatus(api, "NoisyDisk", "firing", 0) && hasStatus(api, "RareCpu", "firing", 0));
    alertmanager.push(disk.resolvedAt(Instant.now().minusSeconds(1)));
    await("NoisyDisk resolved").atMost(TIMEOUT).until(() -> hasStatus(api, "NoisyDisk", "resolved", 0));
    Instant t1 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    PostableAlert diskAgain = alert("NoisyDisk", "db-1", t1);
    alertmanager.push(diskAgain);
    await("NoisyDisk reopened").atMost(TIMEOUT).until(() -> hasStatus(api, "NoisyDisk", "firing", 1));
    Instant end = Instant.now().minusMillis(100);
    alertmanager.push(diskAgain.resolvedAt(end), cpu.resolvedAt(end));
    await("both resolved").atMost(TIMEOUT).until(() ->
        hasStatus(api, "NoisyDisk", "resolved", 1) && hasStatus(api, "RareCpu", "resolved", 0));

    // Insights over the last hour: NoisyDisk has 2 firing periods and at least 4 notifications,
    // RareCpu 1 period and 2 notifications.
    JsonNode insights = api.getJson("/api/insights?period=1h");
    JsonNode top = insights.path("noisiest").get(0);
    assertThat(top.path("alertname").asText()).isEqualTo("NoisyDisk");
    assertThat(top.path("occurrences").asInt()).isEqualTo(2);
    assertThat(top.path("notifications").asInt()).isGreaterThanOrEqualTo(4);
    JsonNode second = insights.path("noisiest").get(1);
    assertThat(second.path("alertname").asText()).isEqualTo("RareCpu");
    assertThat(second.path("occurrences").asInt()).isEqualTo(1);
    assertThat(second.path("notifications").asInt()).isEqualTo(2);
    assertThat(insights.path("mttr").path("total").path("count").asInt()).isEqualTo(2);

    long diskId = incident(api, "NoisyDisk").path("id").asLong();
    try (HeadlessChromium chromium = new HeadlessChromium(1280, 900)) {
      WebDriver driver = chromium.driver();
      driver.get(api.baseUrl() + "/");
      List<WebElement> rows = driver.findElements(By.cssSelector("#incidents tbody tr"));
      assertThat(rows).hasSize(2);
      assertThat(driver.findElement(By.id("incidents")).getText())
          .contains("NoisyDisk").contains("RareCpu").containsIgnoringCase("resolved");
      chromium.screenshot("e2e-incidents");

      driver.findElement(By.cssSelector("tr[data-incident-id='" + diskId + "'] a")).click();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> driver.getCurrentUrl().endsWith("/incidents/" + diskId));
      String timeline = driver.findElement(By.id("timeline")).getText();
      assertThat(timeline).contains("opened").contains("reopened").contains("resolved");
      await().atMost(Duration.ofSeconds(10)).until(() -> ((Number) ((JavascriptExecutor) driver)
          .executeScript("var i = document.querySelector('.graph img');"
              + "return i && i.complete ? i.naturalWidth : 0;")).longValue() > 0);
      chromium.screenshot("e2e-incident");

      driver.findElement(By.linkText("Insights")).click();
      await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().contains("/insights"));
      List<WebElement> noisy = driver.findElements(By.cssSelector("#noisiest tbody tr"));
      assertThat(noisy.get(0).getText()).contains("NoisyDisk");
      assertThat(noisy.get(1).getText()).contains("RareCpu");
      chromium.screenshot("e2e-insights");
    }
  }
}
