package dev.alertdesk.sentry;

import io.sentry.Hint;
import io.sentry.RequestDetails;
import io.sentry.SentryEnvelope;
import io.sentry.SentryOptions;
import io.sentry.protocol.SentryId;
import io.sentry.transport.ITransport;
import io.sentry.transport.RateLimiter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The Sentry SDK's transport, made synchronous and observable: {@link #send} posts the envelope
 * the SDK built (with the SDK's {@code X-Sentry-Auth} header and URL, from {@link RequestDetails})
 * on the caller's thread and keeps how Sentry answered, by event id, for {@link #take}. The SDK's
 * own transport queues envelopes and drops them on 429 and 5xx; the outbox needs to know, to
 * retry. Sentry docs: develop.sentry.dev/sdk/data-model/envelopes/ (the envelope endpoint
 * {@code /api/<project>/envelope/}, {@code Content-Type: application/x-sentry-envelope}).
 */
final class SentryEnvelopeTransport implements ITransport {
  /** Answers kept at most, should a caller never take them. */
  private static final int MAX_KEPT = 1000;

  private final SentryOptions options;
  private final RequestDetails details;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private final List<String> secrets;
  private final RateLimiter rateLimiter;
  private final Map<SentryId, SentryResult> answers = new ConcurrentHashMap<>();

  /**
   * @param options the SDK's options (its serializer)
   * @param details the envelope URL and headers the SDK resolved from the DSN
   * @param http the HTTP client
   * @param timeout how long one post may take
   * @param clock the source of "now", for Retry-After dates
   * @param secrets strings never put into an error text (the DSN and its key)
   */
  SentryEnvelopeTransport(SentryOptions options, RequestDetails details, HttpClient http,
      Duration timeout, Clock clock, List<String> secrets) {
    this.options = options;
    this.details = details;
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
    this.secrets = List.copyOf(secrets);
    this.rateLimiter = new RateLimiter(options);
  }

  @Override
  public void send(SentryEnvelope envelope, Hint hint) throws IOException {
    SentryId id = envelope.getHeader().getEventId();
    SentryResult result = post(envelope);
    if (id != null) {
      if (answers.size() >= MAX_KEPT) {
        answers.clear();
      }
      answers.put(id, result);
    }
  }

  /**
   * Returns and forgets how Sentry answered the envelope of event {@code id}.
   *
   * @return the answer, or null when no envelope of that event was sent (the SDK dropped it)
   */
  @Nullable SentryResult take(SentryId id) {
    return answers.remove(id);
  }

  private SentryResult post(SentryEnvelope envelope) {
    byte[] body;
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      options.getSerializer().serialize(envelope, out);
      body = out.toByteArray();
    } catch (Exception e) {
      return SentryResult.failed("envelope: could not be serialized: "
          + SentryHttp.clean(String.valueOf(e.getMessage()), secrets), 0);
    }
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(details.getUrl().toURI())
          .timeout(timeout)
          .header("Content-Type", "application/x-sentry-envelope")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    } catch (URISyntaxException e) {
      return SentryResult.failed("envelope: the DSN gives no valid URL", 0);
    }
    for (Map.Entry<String, String> h : details.getHeaders().entrySet()) {
      request.header(h.getKey(), h.getValue());
    }
    try {
      HttpResponse<String> response = http.send(request.build(),
          HttpResponse.BodyHandlers.ofString());
      String reason = response.headers().firstValue("X-Sentry-Error").orElse(null);
      return SentryHttp.classify("envelope", response.statusCode(), response.headers(), reason,
          clock.instant(), secrets);
    } catch (IOException e) {
      return SentryResult.retry("envelope: " + e.getClass().getSimpleName() + ": "
          + SentryHttp.clean(String.valueOf(e.getMessage()), secrets), 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SentryResult.retry("envelope: interrupted", 0);
    }
  }

  @Override
  public void flush(long timeoutMillis) {
    // Nothing is queued: every envelope is sent by send().
  }

  @Override
  public RateLimiter getRateLimiter() {
    return rateLimiter;
  }

  @Override
  public void close(boolean isRestarting) {
    answers.clear();
  }

  @Override
  public void close() {
    close(false);
  }
}
