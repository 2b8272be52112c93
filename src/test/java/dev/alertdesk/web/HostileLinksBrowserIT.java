package dev.alertdesk.web;

import static dev.alertdesk.testing.HistorySeed.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.testing.AlertdeskClient;
import dev.alertdesk.testing.AlertmanagerPayload;
import dev.alertdesk.testing.HeadlessChromium;
import dev.alertdesk.testing.SeededHistory;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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

/**
 * An alert whose {@code generatorURL}, {@code externalURL}, labels and annotations carry script
 * is stored and shown in real headless Chromium: nothing runs, no {@code javascript:} link
 * exists, and every page carries the Content-Security-Policy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileLinksBrowserIT {
  private static final String SCRIPT_URL = "javascript:window.__pwned=1;alert(document.domain)//";
  private SeededHistory seeded;
  private AlertdeskClient client;
  private long incidentId;

  @BeforeAll
  void start(@TempDir Path dir) {
    seeded = new SeededHistory(dir, "sqlite://" + dir.toAbsolutePath().resolve("hostile.db"));
    client = seeded.client();
    String hostile = "<img src=x onerror=\"window.__pwned=2\"><script>window.__pwned=3</script>";
    var payload = AlertmanagerPayload.group("team-x", "Hostile")
        .externalUrl("JavaScript:window.__pwned=4//")
        .generatorUrl(SCRIPT_URL)
        .annotation("summary", hostile)
        .annotation("runbook_url", "javascript:window.__pwned=5//")
        .alert("firing", Map.of("alertname", "Hostile", "severity", "critical", "instance",
            hostile), at("2026-03-01T08:00:00Z"), null);
    HttpResponse<String> posted = client.post("/api/alerts", payload.json(), null);
    assertThat(posted.statusCode()).isEqualTo(200);
    incidentId = AlertdeskClient.json(posted).path("incident_id").asLong();
  }

  @AfterAll
  void stop() {
    if (seeded != null) {
      seeded.close();
    }
  }

  @Test
  void hostileLinksAndMarkupNeverRunScriptInTheBrowser() {
    try (HeadlessChromium chromium = new HeadlessChromium(1280, 900)) {
      WebDriver driver = chromium.driver();
      for (String page : List.of("/incidents/" + incidentId, "/incidents/" + incidentId
          + "/messages", "/", "/?alertname=Hostile")) {
        driver.get(client.baseUrl() + page);
        List<WebElement> links = driver.findElements(By.cssSelector("a[href]"));
        assertThat(links).as(page).isNotEmpty();
        for (WebElement a : links) {
          String href = a.getAttribute("href");
          assertThat(href).as(page).matches("(?i)https?://.*");
        }
        assertThat(driver.findElements(By.cssSelector("img[src='x'], main script"))).as(page)
            .isEmpty();
        assertThat(((JavascriptExecutor) driver).executeScript("return window.__pwned"))
            .as(page).isNull();
      }
      driver.get(client.baseUrl() + "/incidents/" + incidentId);
      assertThat(driver.findElement(By.id("alerts")).getText()).contains("<script>");
      assertThat(driver.findElements(By.linkText("source"))).isEmpty();
      assertThat(driver.findElements(By.linkText("Alertmanager"))).isEmpty();
      chromium.screenshot("incident-hostile");
    }
  }

  @Test
  void safeLinksStillShowAndTheAttachmentColourSurvivesTheContentSecurityPolicy() {
    var fine = AlertmanagerPayload.group("team-y", "Fine")
        .externalUrl("https://alertmanager.example/")
        .generatorUrl("HTTPS://prometheus.example/graph?g0.expr=up")
        .firing("api-1", at("2026-03-01T08:00:00Z"));
    long id = AlertdeskClient.json(client.post("/api/alerts", fine.json(), null))
        .path("incident_id").asLong();
    try (HeadlessChromium chromium = new HeadlessChromium(1280, 900)) {
      WebDriver driver = chromium.driver();
      driver.get(client.baseUrl() + "/incidents/" + id);
      assertThat(driver.findElement(By.linkText("source")).getAttribute("href"))
          .isEqualTo("https://prometheus.example/graph?g0.expr=up");
      assertThat(driver.findElement(By.linkText("Alertmanager")).getAttribute("href"))
          .isEqualTo("https://alertmanager.example/");
      driver.get(client.baseUrl() + "/incidents/" + id + "/messages");
      Object color = ((JavascriptExecutor) driver).executeScript(
          "var a = document.querySelector('.attachment');"
              + "return a ? getComputedStyle(a).borderLeftColor : 'none';");
      assertThat(color).isEqualTo("rgb(224, 30, 90)");
    }
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() {
    for (String path : List.of("/", "/incidents/" + incidentId, "/api/incidents",
        "/api/incidents/" + incidentId, "/api/audit", "/api/export/incidents.csv", "/health",
        "/no-such-page")) {
      HttpResponse<String> r = client.get(path);
      assertThat(r.headers().firstValue("Content-Security-Policy")).as(path)
          .contains("default-src 'self'; script-src 'self'; object-src 'none'; "
              + "frame-ancestors 'none'; base-uri 'none'");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
      assertThat(r.headers().firstValue("Referrer-Policy")).as(path).contains("same-origin");
      assertThat(r.headers().firstValue("Cache-Control")).as(path).contains("no-store");
    }
    assertThat(client.get("/ui/app.js").headers().firstValue("Content-Security-Policy"))
        .isPresent();
    // No inline script or style attribute anywhere: the policy would block them.
    String page = client.get("/incidents/" + incidentId + "/messages").body()
        + client.get("/incidents/" + incidentId).body() + client.get("/insights").body();
    assertThat(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)")
        .doesNotContainPattern("\\sstyle=\"").doesNotContainPattern("\\son[a-z]+=\"");
  }
}
