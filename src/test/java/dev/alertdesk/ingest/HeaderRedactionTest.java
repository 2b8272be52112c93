package dev.alertdesk.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class HeaderRedactionTest {
  private static final String SECRET = "do-not-store-me-4b1d";

  @ParameterizedTest(name = "{0} is redacted")
  @ValueSource(strings = {"Authorization", "authorization", "AUTHORIZATION",
      "Proxy-Authorization", "Cookie", "X-Auth-Token", "X-Vault-Token", "Private-Token",
      "X-Amz-Security-Token", "X-Slack-Signature", "X-Hub-Signature-256", "X-Webhook-Secret",
      "X-Client-Secret", "X-Password", "X-Api-Key", "X-Goog-Api-Key", "Apikey", "X-APIKEY",
      "X-Forwarded-Authorization", "X-Amzn-Remapped-Authorization", "X-Original-Cookie",
      "X-Api_Key", "X-Client-Credentials", "Authentication", "X-Auth-Key", "X-Access-Key",
      "X-Tenant-Pass", "X-Session-Id", "X-Custom-Header-Nobody-Knows"})
  void credentialHeadersAreRedacted(String name) {
    Map<String, String> redacted = HeaderRedaction.redact(Map.of(name, SECRET));

    assertThat(redacted).containsOnlyKeys(name.toLowerCase(Locale.ROOT));
    assertThat(redacted.values()).containsExactly(HeaderRedaction.REDACTED);
    assertThat(redacted.toString()).doesNotContain(SECRET);
  }

  @Test
  void ordinaryHeadersAreKeptAsReceived() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", "Alertmanager/0.25.0");
    headers.put("Content-Type", "application/json");
    headers.put("Content-Length", "1234");
    headers.put("X-Forwarded-For", "10.0.0.7");
    headers.put("Host", "alertdesk:3031");

    Map<String, String> redacted = HeaderRedaction.redact(headers);

    assertThat(redacted).containsExactly(
        Map.entry("content-length", "1234"),
        Map.entry("content-type", "application/json"),
        Map.entry("host", "alertdesk:3031"),
        Map.entry("user-agent", "Alertmanager/0.25.0"),
        Map.entry("x-forwarded-for", "10.0.0.7"));
  }

  @Test
  void noNameOnTheAllowListLooksLikeACredential() {
    assertThat(HeaderRedaction.STORED_IN_CLEAR).allSatisfy(name ->
        assertThat(HeaderRedaction.storedInClear(name)).as(name).isTrue());
  }

  @Test
  void aRealWebhookRequestKeepsNoCredential() {
    Map<String, String> headers = new HashMap<>();
    headers.put("Authorization", "Bearer " + SECRET);
    headers.put("User-Agent", "Alertmanager/0.25.0");
    headers.put("Content-Type", "application/json");

    Map<String, String> redacted = HeaderRedaction.redact(headers);

    assertThat(redacted).containsEntry("authorization", HeaderRedaction.REDACTED)
        .containsEntry("user-agent", "Alertmanager/0.25.0");
    assertThat(List.copyOf(redacted.keySet())).isSorted();
    assertThat(redacted.values()).noneMatch(v -> v.contains(SECRET));
  }

  @Test
  void theInputIsLeftUntouched() {
    Map<String, String> headers = new HashMap<>(Map.of("Authorization", "Basic " + SECRET));

    HeaderRedaction.redact(headers);

    assertThat(headers).containsExactly(Map.entry("Authorization", "Basic " + SECRET));
  }

  @Test
  void anEmptyMapStaysEmpty() {
    assertThat(HeaderRedaction.redact(Map.of())).isEmpty();
  }
}
