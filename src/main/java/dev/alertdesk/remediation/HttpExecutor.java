package dev.alertdesk.remediation;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code http} executor: one signed {@code POST} of a JSON request to a separate
 * remediation-executor service, which does the change itself. Thread-safe.
 *
 * <p><b>The request</b> ({@code Content-Type: application/json}, UTF-8):
 * <pre>{@code
 * {"request_id": "r-…", "action": "restart-payments", "operation": "rollout-restart",
 *  "target": {"namespace": "checkout", "name": "payments-api", "parameters": {}},
 *  "incident": {"id": 42}, "requested_by": "U0ALICE", "approved_by": ["U0BOB"]}
 * }</pre>
 *
 * <p><b>The signature</b> is Slack's v0 scheme (docs.slack.dev/authentication/
 * verifying-requests-from-slack) under Alertdesk's header names:
 * {@value #TIMESTAMP_HEADER} is the Unix time in seconds, and {@value #SIGNATURE_HEADER} is
 * {@code v0=} followed by the lower-case hex HMAC-SHA256, keyed with the shared secret (UTF-8),
 * of {@code v0:<timestamp>:<body>}. A receiver should recompute it over the raw body, compare in
 * constant time, and refuse timestamps more than 5 minutes off. {@value #REQUEST_ID_HEADER}
 * repeats the request id so the receiver can drop a repeated request.
 *
 * <p><b>The answer:</b> any 2xx is {@link RemediationResult.Outcome#SUCCEEDED}; anything else,
 * no answer within the timeout, or no connection is {@code FAILED} with the status or the
 * reason. The first {@value #MAX_SHOWN_CHARS} characters of the response body are shown in the
 * detail, control characters replaced. Redirects are not followed. The URL's query and user
 * info and the secret never appear in a message or the log.
 *
 * <p><b>The preview</b> calls nothing: it describes the request that would be sent, and has no
 * {@code resourceVersion}.
 */
public final class HttpExecutor implements RemediationExecutor {
  /** The request header with the Unix time in seconds that the signature covers. */
  public static final String TIMESTAMP_HEADER = "X-Alertdesk-Request-Timestamp";
  /** The request header with the {@code v0=<hex HMAC-SHA256>} signature. */
  public static final String SIGNATURE_HEADER = "X-Alertdesk-Signature";
  /** The request header with the remediation request's id. */
  public static final String REQUEST_ID_HEADER = "X-Alertdesk-Request-Id";
  /** How many characters of the response body the result shows at most. */
  public static final int MAX_SHOWN_CHARS = 500;

  private static final Logger log = LoggerFactory.getLogger(HttpExecutor.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_READ_BYTES = 16 * 1024;

  private final URI url;
  private final String shownUrl;
  private final SecretKeySpec key;
  private final Duration timeout;
  private final Clock clock;
  private final HttpClient http;

  /**
   * @param config the URL, secret and timeout (already checked by the record)
   * @param clock the time the signature's timestamp is taken from
   */
  public HttpExecutor(HttpExecutorConfig config, Clock clock) {
    this.url = config.url();
    this.shownUrl = HttpExecutorConfig.shown(config.url());
    this.key = new SecretKeySpec(config.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.timeout = config.timeout();
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Calls nothing; the summary names the URL (without query or credentials), the operation,
   * the target and its parameters.
   */
  @Override
  public RemediationPreview preview(String operation, RemediationTarget target) {
    StringBuilder s = new StringBuilder("POST ").append(shownUrl).append(": ")
        .append(KubernetesExecutor.oneLine(operation, 60)).append(" on ")
        .append(KubernetesExecutor.oneLine(target.namespace(), 80)).append('/')
        .append(KubernetesExecutor.oneLine(target.name(), 260));
    if (!target.parameters().isEmpty()) {
      s.append(" with ");
      boolean first = true;
      for (Map.Entry<String, String> e : new TreeMap<>(target.parameters()).entrySet()) {
        s.append(first ? "" : ", ").append(KubernetesExecutor.oneLine(e.getKey(), 60))
            .append('=').append(KubernetesExecutor.oneLine(e.getValue(), 100));
        first = false;
      }
    }
    s.append(" (signed request to the remediation executor, timeout ")
        .append(timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis()
            + " ms").append(')');
    return new RemediationPreview(KubernetesExecutor.oneLine(s.toString(), 600), null, null);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Never throws. When the executor service does not answer in time, the detail says that it
   * may still have acted.
   */
  @Override
  public RemediationResult execute(String operation, RemediationTarget target,
      RemediationPreview preview, ExecutionContext context) {
    String body = body(operation, target, context);
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/json; charset=utf-8")
        .header(TIMESTAMP_HEADER, timestamp)
        .header(SIGNATURE_HEADER, sign(timestamp, body))
        .header(REQUEST_ID_HEADER, KubernetesExecutor.oneLine(context.requestId(), 200))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    RemediationResult result = send(request);
    log.info("remediation executed {} {} {} {} {}", kv("request_id", context.requestId()),
        kv("action", context.actionId()), kv("executor", "http"), kv("url", shownUrl),
        kv("outcome", result.outcome()));
    return result;
  }

  private RemediationResult send(HttpRequest request) {
    // The request's own timeout covers the status line and headers only; the deadline on the
    // future covers the (bounded) body too.
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(request, info -> new BoundedBody(MAX_READ_BYTES));
    try {
      HttpResponse<byte[]> response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      String shown = clipBody(response.body());
      int status = response.statusCode();
      String detail = "HTTP " + status + " from the remediation executor"
          + (shown.isEmpty() ? " (no body)" : ": " + shown);
      return new RemediationResult(status >= 200 && status < 300
          ? RemediationResult.Outcome.SUCCEEDED : RemediationResult.Outcome.FAILED, detail);
    } catch (TimeoutException e) {
      future.cancel(true);
      return timedOut();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        return timedOut();
      }
      if (cause instanceof ConnectException) {
        return failed("cannot connect to the remediation executor at " + shownUrl);
      }
      return failed("the request to the remediation executor at " + shownUrl + " failed ("
          + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return failed("interrupted while waiting for the remediation executor at " + shownUrl);
    }
  }

  private RemediationResult timedOut() {
    return failed("the remediation executor at " + shownUrl + " did not answer within "
        + timeout.toMillis() + " ms; it may still have acted, check it before trying again");
  }

  /** Keeps the first {@code limit} bytes of a body and drops the rest. */
  private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    BoundedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer b : buffers) {
        int n = Math.min(b.remaining(), limit - kept.size());
        if (n > 0) {
          byte[] chunk = new byte[n];
          b.get(chunk);
          kept.write(chunk, 0, n);
        }
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(kept.toByteArray());
    }
  }

  /** The JSON body; fields as in the class comment. */
  static String body(String operation, RemediationTarget target, ExecutionContext context) {
    ObjectNode root = JSON.createObjectNode();
    root.put("request_id", context.requestId());
    root.put("action", context.actionId());
    root.put("operation", operation);
    ObjectNode t = root.putObject("target");
    t.put("namespace", target.namespace());
    t.put("name", target.name());
    ObjectNode params = t.putObject("parameters");
    new TreeMap<>(target.parameters()).forEach(params::put);
    root.putObject("incident").put("id", context.incidentId());
    root.put("requested_by", context.requestedBy());
    ArrayNode approvers = root.putArray("approved_by");
    context.approvedBy().forEach(approvers::add);
    return root.toString();
  }

  /** {@code v0=} and the hex HMAC-SHA256 of {@code v0:<timestamp>:<body>}. */
  String sign(String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
      mac.update(body.getBytes(StandardCharsets.UTF_8));
      return "v0=" + HexFormat.of().formatHex(mac.doFinal());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }

  private static String clipBody(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    String clean = text.replaceAll("[\\p{Cntrl}&&[^\n\t]]", " ");
    return clean.length() <= MAX_SHOWN_CHARS ? clean
        : clean.substring(0, MAX_SHOWN_CHARS) + "…";
  }

  private static RemediationResult failed(String detail) {
    return new RemediationResult(RemediationResult.Outcome.FAILED, detail);
  }

  /** Shows the URL and timeout; never the secret. */
  @Override
  public String toString() {
    return "HttpExecutor[" + shownUrl + ", timeout " + timeout + "]";
  }
}
