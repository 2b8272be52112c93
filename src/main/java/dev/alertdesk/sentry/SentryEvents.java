package dev.alertdesk.sentry;

import dev.alertdesk.config.SentrySettings;
import io.sentry.Hint;
import io.sentry.SentryClient;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.protocol.SentryId;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends Sentry events through the official Sentry Java SDK ({@link SentryClient}), one at a time
 * and synchronously: {@link #capture} returns how Sentry answered, so the outbox can retry a 429
 * or a 5xx and never loses an event. The SDK builds the event and the envelope and signs the
 * request with the DSN; its transport is {@link SentryEnvelopeTransport}. No global SDK state is
 * used ({@code Sentry.init} is never called), so Alertdesk's own errors are not sent to Sentry.
 * Thread-safe.
 */
public final class SentryEvents implements AutoCloseable {
  private final SentryClient client;
  private final AtomicReference<SentryEnvelopeTransport> transport = new AtomicReference<>();

  /**
   * @param settings the DSN (required) and the HTTP timeout
   * @param release Alertdesk's version, sent as the events' release ({@code alertdesk@0.1.0})
   * @param clock the source of "now"
   * @throws IllegalArgumentException when the settings have no DSN
   */
  public SentryEvents(SentrySettings settings, String release, Clock clock) {
    String dsn = settings.dsn();
    if (dsn == null) {
      throw new IllegalArgumentException("the Sentry sink needs a DSN");
    }
    List<String> secrets = secrets(dsn);
    HttpClient http = HttpClient.newBuilder().connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
    SentryOptions options = new SentryOptions();
    options.setDsn(dsn);
    options.setRelease(release);
    options.setSendClientReports(false);
    options.setAttachServerName(false);
    options.setSendDefaultPii(false);
    options.setEnableDeduplication(false);
    options.setTransportFactory((opts, details) -> {
      SentryEnvelopeTransport t = new SentryEnvelopeTransport(opts, details, http,
          settings.timeout(), clock, secrets);
      transport.set(t);
      return t;
    });
    this.client = new SentryClient(options);
  }

  /**
   * Sends one event and waits for Sentry's answer. The event keeps its id: sending it again
   * after an unknown outcome sends the same id, which Sentry keeps once.
   *
   * @param event the event, with its pre-assigned id
   * @return how Sentry answered; {@code failed} when the SDK dropped the event before sending
   */
  public SentryResult capture(SentryEvent event) {
    SentryId id = event.getEventId();
    if (id == null) {
      throw new IllegalArgumentException("the event needs its pre-assigned id");
    }
    client.captureEvent(event, null, new Hint());
    SentryEnvelopeTransport t = transport.get();
    SentryResult result = t == null ? null : t.take(id);
    return result != null ? result
        : SentryResult.failed("envelope: the Sentry SDK dropped the event before sending it", 0);
  }

  /** Closes the SDK client. */
  @Override
  public void close() {
    client.close();
  }

  /** The DSN and its public key: never shown in an error. */
  static List<String> secrets(String dsn) {
    List<String> out = new ArrayList<>();
    out.add(dsn);
    try {
      String userInfo = URI.create(dsn).getRawUserInfo();
      if (userInfo != null) {
        for (String part : userInfo.split(":")) {
          if (part.length() >= 4) {
            out.add(part);
          }
        }
      }
    } catch (IllegalArgumentException e) {
      // validated at startup; nothing more to hide
    }
    return out;
  }
}
