package dev.alertdesk.web;

import static dev.alertdesk.testing.HistorySeed.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.alertdesk.graph.ChartKind;
import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.HeadlessChromium;
import dev.alertdesk.testing.MutableClock;
import dev.alertdesk.testing.SeededHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI in real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}),
 * against the running service seeded with {@link HistorySeed}'s incidents on SQLite. Saves
 * screenshots under {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiBrowserIT {
  private SeededHistory seeded;
  private MutableClock clock;
  private AlertdeskClient client;

  @BeforeAll
  void start(@TempDir Path dir) {
    seeded = new SeededHistory(dir, "sqlite://" + dir.toAbsolutePath().resolve("ui.db"));
    clock = seeded.clock();
    client = seeded.client();
    seeded.audit(2, "bob", "acknowledge", "{}", "2026-03-01T12:09:00Z");
    // A Prometheus graph as the enrichment stores it (it runs only with Slack configured).
    seeded.chart(2, ChartKind.RESOLVED, "http_request_duration_seconds:p99");
  }

  @AfterAll
  void stop() {
    if (seeded != null) {
      seeded.close();
    }
  }

  private String url(String path) {
    return client.baseUrl() + path;
  }

  private static List<WebElement> rows(WebDriver driver) {
    return driver.findElements(By.cssSelector("#incidents tbody tr"));
  }

  private static long naturalWidth(WebDriver driver, String cssSelector) {
    Object width = ((JavascriptExecutor) driver).executeScript(
        "var img = document.querySelector(arguments[0]);"
            + "return img && img.complete ? img.naturalWidth : 0;", cssSelector);
    return ((Number) width).longValue();
  }

  @Test
  void listFilterIncidentTimelineGraphAndInsightsOnALaptop() {
    try (HeadlessChromium chromium = new HeadlessChromium(1280, 900)) {
      WebDriver driver = chromium.driver();

      driver.get(url("/"));
      assertThat(driver.getTitle()).contains("Incidents");
      assertThat(rows(driver)).hasSize(4);
      assertThat(driver.findElement(By.id("incident-count")).getText()).startsWith("4 incidents");
      WebElement flappy = driver.findElement(By.cssSelector("tr[data-incident-id='3']"));
      assertThat(flappy.findElement(By.cssSelector(".badge")).getText()).isEqualToIgnoringCase("firing");
      assertThat(flappy.getText()).contains("seen 2 times");
      // Times carry UTC on hover and are rewritten into the viewer's zone.
      WebElement started = flappy.findElement(By.cssSelector("time"));
      assertThat(started.getAttribute("datetime")).isEqualTo("2026-03-01T14:00:00Z");
      assertThat(started.getAttribute("title")).isEqualTo("2026-03-01 14:00:00 UTC");
      assertThat(started.getText()).isNotEqualTo("2026-03-01 14:00:00 UTC").contains("2026");
      chromium.screenshot("incidents");

      // Filter by alertname and status through the form.
      driver.findElement(By.id("f-alertname")).sendKeys("HighLatency");
      new Select(driver.findElement(By.id("f-status"))).selectByValue("resolved");
      driver.findElement(By.id("apply-filters")).click();
      await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().contains("alertname=HighLatency"));
      assertThat(rows(driver)).hasSize(2)
          .allSatisfy(r -> assertThat(r.getText()).contains("HighLatency").containsIgnoringCase("resolved"));
      // A label matcher narrows it to the incident api-2 joined.
      driver.findElement(By.id("f-matcher")).sendKeys("instance=\"api-2\"");
      driver.findElement(By.id("apply-filters")).click();
      await().atMost(Duration.ofSeconds(10)).until(() -> rows(driver).size() == 1);
      chromium.screenshot("incidents-filtered");

      // Open it: header, alerts with labels, the timeline and the graph image.
      rows(driver).get(0).findElement(By.cssSelector("a")).click();
      await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().endsWith("/incidents/2"));
      assertThat(driver.findElement(By.tagName("h1")).getText()).contains("#2").contains("HighLatency");
      List<WebElement> events = driver.findElements(By.cssSelector("#timeline li"));
      assertThat(events).extracting(WebElement::getText).anySatisfy(t -> assertThat(t).contains("opened"))
          .anySatisfy(t -> assertThat(t).contains("alerts firing"))
          .anySatisfy(t -> assertThat(t).contains("resolved"));
      assertThat(driver.findElements(By.cssSelector("#alerts tbody tr"))).hasSize(2);
      assertThat(driver.findElement(By.id("alerts")).getText()).contains("instance").contains("api-2");
      assertThat(driver.findElements(By.cssSelector(".graph img"))).hasSize(2);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> naturalWidth(driver, ".graph img") > 0
              && naturalWidth(driver, ".graph:nth-of-type(2) img") > 0);
      assertThat(driver.findElement(By.id("audit")).getText()).contains("bob").contains("acknowledge");
      chromium.screenshot("incident");

      // The message preview renders the stored Block Kit as HTML.
      driver.findElement(By.linkText("Message preview")).click();
      await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().endsWith("/messages"));
      assertThat(driver.findElements(By.cssSelector("article.message"))).isNotEmpty();
      assertThat(driver.findElement(By.cssSelector("article.message")).getText()).contains("HighLatency");
      chromium.screenshot("messages");

      // Insights: the noisiest alert first, and the per-day chart loaded.
      driver.findElement(By.linkText("Insights")).click();
      await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().contains("/insights"));
      List<WebElement> noisy = driver.findElements(By.cssSelector("#noisiest tbody tr"));
      assertThat(noisy).hasSize(3);
      assertThat(noisy.get(0).getText()).contains("HighLatency");
      assertThat(driver.findElement(By.id("incident-total")).getText()).isEqualTo("4");
      await().atMost(Duration.ofSeconds(10))
          .until(() -> naturalWidth(driver, "#per-day-chart") > 0);
      chromium.screenshot("insights");
    }
  }

  @Test
  void theStateAndTimelineRefreshWithoutReloadingThePage() {
    try (HeadlessChromium chromium = new HeadlessChromium(1280, 900)) {
      WebDriver driver = chromium.driver();
      driver.get(url("/incidents/4"));
      int before = driver.findElements(By.cssSelector("#timeline li")).size();
      ((JavascriptExecutor) driver).executeScript("window.__sameDocument = true;");

      clock.set(at("2026-03-02T09:30:00Z"));
      var resolved = AlertmanagerPayload.group("team-b", "DiskFull").alert("resolved",
          Map.of("alertname", "DiskFull", "severity", "warning", "instance", "db-1"),
          at("2026-03-02T07:55:00Z"), at("2026-03-02T09:29:00Z"));
      assertThat(client.post("/api/alerts", resolved.json(), null).statusCode()).isEqualTo(200);

      await().atMost(Duration.ofSeconds(20))
          .until(() -> driver.findElements(By.cssSelector("#timeline li")).size() > before);
      assertThat(driver.findElement(By.id("timeline")).getText()).contains("resolved");
      await().atMost(Duration.ofSeconds(10)).until(() ->
          driver.findElement(By.id("status")).getText().equalsIgnoreCase("resolved"));
      // Times swapped in are shown in the viewer's zone too, with UTC on hover.
      WebElement last = driver.findElements(By.cssSelector("#timeline time")).get(
          driver.findElements(By.cssSelector("#timeline time")).size() - 1);
      assertThat(last.getAttribute("title")).isEqualTo("2026-03-02 09:30:00 UTC");
      assertThat(last.getText()).isNotEqualTo("2026-03-02 09:30:00 UTC");
      assertThat(((JavascriptExecutor) driver).executeScript("return window.__sameDocument === true"))
          .isEqualTo(true);
      chromium.screenshot("incident-live");
    }
  }

  @Test
  void pagesFitAPhoneWidth() {
    try (HeadlessChromium chromium = new HeadlessChromium(390, 844)) {
      WebDriver driver = chromium.driver();
      for (String page : List.of("/", "/incidents/2", "/insights")) {
        driver.get(url(page));
        Object overflow = ((JavascriptExecutor) driver).executeScript(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).longValue()).as(page).isLessThanOrEqualTo(0);
        // Every form control has a label.
        Object unlabelled = ((JavascriptExecutor) driver).executeScript(
            "return Array.from(document.querySelectorAll('input, select'))"
                + ".filter(function (e) { return e.labels.length === 0; }).length;");
        assertThat(((Number) unlabelled).longValue()).as(page).isZero();
      }
      driver.get(url("/"));
      chromium.screenshot("incidents-phone");
      assertThat(Files.exists(HeadlessChromium.SCREENSHOTS.resolve("incidents-phone.png"))).isTrue();
    }
  }
}
