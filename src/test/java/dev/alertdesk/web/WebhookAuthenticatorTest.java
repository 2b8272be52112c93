package dev.alertdesk.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

final class WebhookAuthenticatorTest {
  private static final String TOKEN = "s3cr3t-webhook-token";
  private static final String BASIC = "alertmanager:b4sic-pa$$:with-colon";

  @Test
  void withoutCredentialsEveryRequestPasses() {
    WebhookAuthenticator open = new WebhookAuthenticator(null, null);

    assertThat(open.isOpen()).isTrue();
    assertThat(open.accepts(null)).isTrue();
    assertThat(open.accepts("Bearer anything")).isTrue();
    assertThat(open.accepts("garbage")).isTrue();
  }

  @Test
  void configuredCredentialsCloseIt() {
    assertThat(new WebhookAuthenticator(TOKEN, null).isOpen()).isFalse();
    assertThat(new WebhookAuthenticator(null, BASIC).isOpen()).isFalse();
  }

  @Test
  void bearerTokenIsAccepted() {
    WebhookAuthenticator auth = new WebhookAuthenticator(TOKEN, null);

    assertThat(auth.accepts("Bearer " + TOKEN)).isTrue();
    assertThat(auth.accepts("bearer " + TOKEN)).as("scheme is case-insensitive").isTrue();
    assertThat(auth.accepts("BEARER " + TOKEN)).isTrue();
    assertThat(auth.accepts("  Bearer   " + TOKEN + "  ")).as("surrounding blanks").isTrue();
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @NullSource
  @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer wrong", "Bearer s3cr3t-webhook-toke",
      "Bearer s3cr3t-webhook-token2", "Bearer S3CR3T-WEBHOOK-TOKEN", "s3cr3t-webhook-token",
      "Token s3cr3t-webhook-token", "Bearers3cr3t-webhook-token",
      "Basic czNjcjN0LXdlYmhvb2stdG9rZW4="})
  void wrongOrMissingBearerTokensAreRejected(String header) {
    WebhookAuthenticator auth = new WebhookAuthenticator(TOKEN, null);

    assertThat(auth.accepts(header)).isFalse();
  }

  @Test
  void basicAuthIsAccepted() {
    WebhookAuthenticator auth = new WebhookAuthenticator(null, BASIC);

    assertThat(auth.accepts(basic(BASIC))).isTrue();
    assertThat(auth.accepts("basic " + encode(BASIC))).isTrue();
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @NullSource
  @ValueSource(strings = {"", "Basic", "Basic !!!not-base64!!!", "Basic YWxlcnRtYW5hZ2Vy",
      "Bearer alertmanager:b4sic-pa$$:with-colon", "alertmanager:b4sic-pa$$:with-colon"})
  void wrongOrMalformedBasicCredentialsAreRejected(String header) {
    WebhookAuthenticator auth = new WebhookAuthenticator(null, BASIC);

    assertThat(auth.accepts(header)).isFalse();
  }

  @Test
  void basicAuthComparesUserAndPasswordExactly() {
    WebhookAuthenticator auth = new WebhookAuthenticator(null, BASIC);

    assertThat(auth.accepts(basic("alertmanager:b4sic-pa$$"))).isFalse();
    assertThat(auth.accepts(basic("Alertmanager:b4sic-pa$$:with-colon"))).isFalse();
    assertThat(auth.accepts(basic(BASIC + " "))).isFalse();
    assertThat(auth.accepts(basic("other:b4sic-pa$$:with-colon"))).isFalse();
  }

  @Test
  void withBothSchemesConfiguredEitherIsAccepted() {
    WebhookAuthenticator auth = new WebhookAuthenticator(TOKEN, BASIC);

    assertThat(auth.accepts("Bearer " + TOKEN)).isTrue();
    assertThat(auth.accepts(basic(BASIC))).isTrue();
    assertThat(auth.accepts("Bearer " + BASIC)).isFalse();
    assertThat(auth.accepts(basic(TOKEN))).isFalse();
    assertThat(auth.accepts(null)).isFalse();
  }

  @Test
  void aBearerTokenIsNotAcceptedAsBasicWhenOnlyBasicIsConfigured() {
    WebhookAuthenticator auth = new WebhookAuthenticator(null, BASIC);

    assertThat(auth.accepts("Bearer " + BASIC)).isFalse();
  }

  @Test
  void nonAsciiCredentialsAreComparedAsUtf8() {
    WebhookAuthenticator auth = new WebhookAuthenticator("tökén-🔥", "üser:pässwörd");

    assertThat(auth.accepts("Bearer tökén-🔥")).isTrue();
    assertThat(auth.accepts("Bearer token-🔥")).isFalse();
    assertThat(auth.accepts(basic("üser:pässwörd"))).isTrue();
  }

  private static String basic(String userColonPassword) {
    return "Basic " + encode(userColonPassword);
  }

  private static String encode(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theChallengeNamesOnlyTheConfiguredSchemes() {
    assertThat(new WebhookAuthenticator("t", null).challenge()).isEqualTo("Bearer realm=\"alertdesk\"");
    assertThat(new WebhookAuthenticator(null, "u:p").challenge()).isEqualTo("Basic realm=\"alertdesk\"");
    assertThat(new WebhookAuthenticator("t", "u:p").challenge())
        .isEqualTo("Bearer realm=\"alertdesk\", Basic realm=\"alertdesk\"");
  }
}
