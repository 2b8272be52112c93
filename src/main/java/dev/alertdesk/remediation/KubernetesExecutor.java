package dev.alertdesk.remediation;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kubernetes} executor: {@code rollout-restart}, {@code scale} and {@code delete-pod}
 * (see {@link KubernetesOperation}) through the fabric8 client, with the permissions of the
 * least-privilege Role in the Helm chart and nothing more. Thread-safe; owns its client
 * ({@link #close()} closes it).
 *
 * <p><b>Preview</b> reads the target and sends the change as a server-side dry run
 * ({@code dryRun=All}, Kubernetes API conventions: "Dry-run"), which runs admission and
 * validation and stores nothing. The preview carries the target's {@code resourceVersion} and
 * {@code generation} as read.
 *
 * <p><b>Execute</b>, in this order: a {@code SelfSubjectAccessReview} for the operation's one
 * permission ({@link RemediationResult.Outcome#FAILED} with the reason when refused); a read of
 * the target ({@code STALE} when its {@code resourceVersion} is not the preview's); the checks of
 * the preview again (required label, paused Deployment); the change, sent with the preview's
 * {@code resourceVersion} as a precondition, so a change in between is a 409 and also
 * {@code STALE}. Every request is for one object by name: never a list, never a collection
 * delete.
 *
 * <p><b>Target parameters</b> ({@link RemediationTarget#parameters()}):
 * <ul>
 *   <li>{@value #REPLICAS}: for {@code scale}, the wanted replica count, a decimal integer from 0
 *       to {@value #MAX_REPLICAS}; the catalogue's bounds are the flow's to check, this executor
 *       only refuses what can never be right.
 *   <li>{@value #REQUIRED_LABEL}: optional, for every operation; {@code key=value} (the target
 *       must carry that label with that value) or {@code key} (with any value), for example
 *       {@code alertdesk.io/remediable=true}. A target without it is refused, at preview and at
 *       execution.
 * </ul>
 *
 * <p><b>Refused always:</b> a namespace or name that is not a valid Kubernetes name (DNS-1123),
 * the namespace {@code kube-system}, a paused Deployment for {@code rollout-restart} (as
 * {@code kubectl rollout restart} refuses it: "can't restart paused deployment (run rollout
 * resume first)").
 *
 * <p><b>Messages</b> are built here from the HTTP status and the API server's {@code Status}
 * message (which names the user, never its credentials); the client's own exception text,
 * request headers and tokens never reach a message or the log.
 */
public final class KubernetesExecutor implements RemediationExecutor, AutoCloseable {
  /** The target parameter with the wanted replica count for {@code scale}. */
  public static final String REPLICAS = "replicas";
  /** The optional target parameter naming a label ({@code key=value} or {@code key}) the target must carry. */
  public static final String REQUIRED_LABEL = "requiredLabel";
  /** The highest replica count {@code scale} accepts, whatever the catalogue says. */
  public static final int MAX_REPLICAS = 1000;
  /** The pod-template annotation {@code kubectl rollout restart} sets (kubectl 1.15 and later). */
  public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

  private static final Logger log = LoggerFactory.getLogger(KubernetesExecutor.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DETAIL_CHARS = 400;
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_KEY = Pattern.compile(
      "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

  private final KubernetesClient client;
  private final Clock clock;

  /**
   * @param client a client with the executor's credentials (in-cluster service account or a
   *     kubeconfig); this executor owns it and closes it in {@link #close()}
   * @param clock the time written as {@code restartedAt}
   */
  public KubernetesExecutor(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Sends the change with {@code dryRun=All}: nothing is stored. Needs {@code get} and the
   * operation's verb (a dry run is authorised as the real request).
   *
   * @throws RemediationException for an unknown operation, an invalid target or parameter, a
   *     missing required label, a paused Deployment, a target that does not exist, a refusal
   *     (403) or an API server that cannot be reached; the message is safe to show
   */
  @Override
  public RemediationPreview preview(String operation, RemediationTarget target) {
    KubernetesOperation op = KubernetesOperation.parse(operation);
    Target t = Target.of(op, target);
    try {
      return switch (op) {
        case ROLLOUT_RESTART -> previewRestart(t);
        case SCALE -> previewScale(t);
        case DELETE_POD -> previewDeletePod(t);
      };
    } catch (KubernetesClientException e) {
      throw new RemediationException(t.describe() + ": " + describe(e));
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Never throws: every refusal and error is a {@code FAILED} result whose detail says why;
   * a target changed since {@code preview} is {@code STALE}.
   */
  @Override
  public RemediationResult execute(String operation, RemediationTarget target,
      RemediationPreview preview, ExecutionContext context) {
    RemediationResult result = executeChecked(operation, target, preview);
    log.info("remediation executed {} {} {} {} {} {}", kv("request_id", context.requestId()),
        kv("action", context.actionId()), kv("operation", oneLine(operation, 40)),
        kv("namespace", oneLine(target.namespace(), 80)), kv("name", oneLine(target.name(), 260)),
        kv("outcome", result.outcome()));
    return result;
  }

  private RemediationResult executeChecked(String operation, RemediationTarget target,
      RemediationPreview preview) {
    Target t;
    KubernetesOperation op;
    try {
      op = KubernetesOperation.parse(operation);
      t = Target.of(op, target);
    } catch (RemediationException e) {
      return failed(e.getMessage());
    }
    String expected = preview.resourceVersion();
    if (expected == null || expected.isBlank()) {
      return failed(t.describe() + ": the preview has no resourceVersion; preview it again");
    }
    try {
      String denied = accessDenied(op, t);
      if (denied != null) {
        return failed(denied);
      }
      return switch (op) {
        case ROLLOUT_RESTART -> executeRestart(t, expected);
        case SCALE -> executeScale(t, expected);
        case DELETE_POD -> executeDeletePod(t, expected);
      };
    } catch (RemediationException e) {
      return failed(e.getMessage());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return new RemediationResult(RemediationResult.Outcome.STALE, t.describe()
            + " changed while the change was sent (409 Conflict); nothing was changed");
      }
      return failed(t.describe() + ": " + describe(e));
    } catch (RuntimeException e) {
      log.warn("remediation failed unexpectedly {} {}", kv("operation", op.id()),
          kv("error", e.getClass().getName()));
      return failed(t.describe() + ": unexpected error (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Closes the client. */
  @Override
  public void close() {
    client.close();
  }

  // ---- rollout-restart

  private RemediationPreview previewRestart(Target t) {
    Deployment d = requireDeployment(t);
    checkRestartable(t, d);
    String at = now();
    Deployment dry = deployment(t).dryRun().patch(PatchContext.of(PatchType.JSON_MERGE),
        restartPatch(d.getMetadata().getResourceVersion(), at));
    String before = restartedAt(d);
    String summary = t.describe() + ": pod-template annotation " + RESTARTED_AT + " "
        + (before == null ? "(none)" : before) + " → " + at + ", generation "
        + d.getMetadata().getGeneration() + " → " + dry.getMetadata().getGeneration()
        + ", replicas " + replicas(d) + " (dry run accepted)";
    return new RemediationPreview(clip(summary), d.getMetadata().getResourceVersion(),
        d.getMetadata().getGeneration());
  }

  private RemediationResult executeRestart(Target t, String expected) {
    Deployment d = requireDeployment(t);
    RemediationResult stale = staleUnless(t, d, expected);
    if (stale != null) {
      return stale;
    }
    checkRestartable(t, d);
    String at = now();
    Deployment after = deployment(t).patch(PatchContext.of(PatchType.JSON_MERGE),
        restartPatch(expected, at));
    return succeeded(t.describe() + " restarted: " + RESTARTED_AT + "=" + at + ", generation "
        + after.getMetadata().getGeneration());
  }

  private void checkRestartable(Target t, Deployment d) {
    requireLabel(t, d);
    if (d.getSpec() != null && Boolean.TRUE.equals(d.getSpec().getPaused())) {
      throw new RemediationException(t.describe()
          + " is paused: kubectl refuses to restart a paused deployment too (run kubectl"
          + " rollout resume first)");
    }
  }

  private static String restartPatch(String resourceVersion, String at) {
    ObjectNode patch = JSON.createObjectNode();
    // The resourceVersion makes the API server refuse the patch (409) if the Deployment changed.
    patch.putObject("metadata").put("resourceVersion", resourceVersion);
    patch.putObject("spec").putObject("template").putObject("metadata")
        .putObject("annotations").put(RESTARTED_AT, at);
    return patch.toString();
  }

  private static @Nullable String restartedAt(Deployment d) {
    if (d.getSpec() == null || d.getSpec().getTemplate() == null
        || d.getSpec().getTemplate().getMetadata() == null
        || d.getSpec().getTemplate().getMetadata().getAnnotations() == null) {
      return null;
    }
    return d.getSpec().getTemplate().getMetadata().getAnnotations().get(RESTARTED_AT);
  }

  // ---- scale

  private RemediationPreview previewScale(Target t) {
    Deployment d = requireDeployment(t);
    requireLabel(t, d);
    Scale dry = putScale(t, d.getMetadata().getResourceVersion(), t.replicas(), true);
    String summary = t.describe() + ": replicas " + replicas(d) + " → "
        + (dry.getSpec() == null ? t.replicas() : dry.getSpec().getReplicas())
        + " (dry run accepted)";
    return new RemediationPreview(clip(summary), d.getMetadata().getResourceVersion(),
        d.getMetadata().getGeneration());
  }

  private RemediationResult executeScale(Target t, String expected) {
    Deployment d = requireDeployment(t);
    RemediationResult stale = staleUnless(t, d, expected);
    if (stale != null) {
      return stale;
    }
    requireLabel(t, d);
    Scale after = putScale(t, expected, t.replicas(), false);
    return succeeded(t.describe() + " scaled: replicas " + replicas(d) + " → "
        + (after.getSpec() == null ? t.replicas() : after.getSpec().getReplicas()));
  }

  /**
   * PUT of the {@code scale} subresource (verb {@code update}); fabric8's {@code scale(Scale)}
   * has no dry-run form, so both go through {@code raw} with the same body.
   */
  private Scale putScale(Target t, String resourceVersion, int replicas, boolean dryRun) {
    Scale scale = new ScaleBuilder().withNewMetadata().withName(t.name())
        .withNamespace(t.namespace()).withResourceVersion(resourceVersion).endMetadata()
        .withNewSpec().withReplicas(replicas).endSpec().build();
    String path = "/apis/apps/v1/namespaces/" + encode(t.namespace()) + "/deployments/"
        + encode(t.name()) + "/scale" + (dryRun ? "?dryRun=All" : "");
    String body = client.raw(path, "PUT", scale);
    return client.getKubernetesSerialization().unmarshal(body, Scale.class);
  }

  // ---- delete-pod

  private RemediationPreview previewDeletePod(Target t) {
    Pod pod = requirePod(t);
    requireLabel(t, pod);
    List<StatusDetails> dry = pod(t).dryRun().delete();
    if (dry.isEmpty()) {
      throw new RemediationException(t.describe() + " was not found");
    }
    String summary = t.describe() + " (phase " + phase(pod) + ") would be deleted; "
        + owner(pod) + " (dry run accepted)";
    return new RemediationPreview(clip(summary), pod.getMetadata().getResourceVersion(),
        pod.getMetadata().getGeneration());
  }

  private RemediationResult executeDeletePod(Target t, String expected) {
    Pod pod = requirePod(t);
    RemediationResult stale = staleUnless(t, pod, expected);
    if (stale != null) {
      return stale;
    }
    requireLabel(t, pod);
    // A precondition on the resourceVersion: a pod changed since the read is a 409, not deleted.
    List<StatusDetails> deleted = pod(t).lockResourceVersion(expected).delete();
    if (deleted.isEmpty()) {
      return failed(t.describe() + " was gone before it could be deleted");
    }
    return succeeded(t.describe() + " deleted; " + owner(pod));
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? "unknown" : oneLine(pod.getStatus().getPhase(), 40);
  }

  private static String owner(Pod pod) {
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    if (owners != null) {
      for (OwnerReference o : owners) {
        if (Boolean.TRUE.equals(o.getController())) {
          return "its controller " + oneLine(o.getKind(), 60) + " " + oneLine(o.getName(), 260)
              + " creates a replacement";
        }
      }
    }
    return "no controller owns it, so nothing recreates it";
  }

  // ---- shared checks

  private @Nullable String accessDenied(KubernetesOperation op, Target t) {
    SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec()
        .withNewResourceAttributes().withGroup(op.apiGroup()).withResource(op.resource())
        .withSubresource(op.subresource()).withVerb(op.verb()).withNamespace(t.namespace())
        .withName(t.name()).endResourceAttributes().endSpec().build();
    SelfSubjectAccessReview answer =
        client.authorization().v1().selfSubjectAccessReview().create(review);
    if (answer != null && answer.getStatus() != null
        && Boolean.TRUE.equals(answer.getStatus().getAllowed())) {
      return null;
    }
    String reason = answer == null || answer.getStatus() == null ? null
        : answer.getStatus().getReason();
    return "the executor's Kubernetes identity may not " + op.verb() + " "
        + op.rbacResource() + " in namespace " + t.namespace()
        + " (SelfSubjectAccessReview: not allowed" + (reason == null || reason.isBlank()
            ? "" : ", " + oneLine(reason, 200)) + "); grant the remediation Role there";
  }

  private @Nullable RemediationResult staleUnless(Target t, HasMetadata current,
      String expected) {
    String now = current.getMetadata().getResourceVersion();
    if (Objects.equals(now, expected)) {
      return null;
    }
    return new RemediationResult(RemediationResult.Outcome.STALE, clip(t.describe()
        + " changed since the preview (resourceVersion " + oneLine(expected, 40) + " → "
        + oneLine(String.valueOf(now), 40) + "); nothing was changed, preview it again"));
  }

  private static void requireLabel(Target t, HasMetadata object) {
    if (t.requiredLabelKey() == null) {
      return;
    }
    Map<String, String> labels = object.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(t.requiredLabelKey());
    String wanted = t.requiredLabelValue();
    if (value == null || (wanted != null && !wanted.equals(value))) {
      throw new RemediationException(t.describe() + " does not carry the required label "
          + t.requiredLabelKey() + (wanted == null ? "" : "=" + wanted)
          + "; it is not open to remediation");
    }
  }

  private Deployment requireDeployment(Target t) {
    Deployment d = deployment(t).get();
    if (d == null) {
      throw new RemediationException(t.describe() + " was not found");
    }
    return d;
  }

  private Pod requirePod(Target t) {
    Pod p = pod(t).get();
    if (p == null) {
      throw new RemediationException(t.describe() + " was not found");
    }
    return p;
  }

  private Resource<Deployment> deployment(Target t) {
    return client.apps().deployments().inNamespace(t.namespace()).withName(t.name());
  }

  private Resource<Pod> pod(Target t) {
    return client.pods().inNamespace(t.namespace()).withName(t.name());
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static Object replicas(Deployment d) {
    return d.getSpec() == null || d.getSpec().getReplicas() == null
        ? "1" : d.getSpec().getReplicas();
  }

  /**
   * A message from the HTTP status and the API server's {@code Status}; never the client's
   * exception text (it has the request URL and may have more).
   */
  static String describe(KubernetesClientException e) {
    int code = e.getCode();
    Status status = e.getStatus();
    String serverMessage = status == null || status.getMessage() == null
        ? "" : oneLine(status.getMessage(), 300);
    if (code <= 0) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return "the Kubernetes API server could not be reached ("
          + root.getClass().getSimpleName() + ")";
    }
    String what = switch (code) {
      case 401 -> "401 Unauthorized: the executor's credentials were refused";
      case 403 -> "403 Forbidden";
      case 404 -> "404 Not Found";
      case 409 -> "409 Conflict";
      case 422 -> "422 Invalid";
      default -> "HTTP " + code;
    };
    return clip(serverMessage.isEmpty() || code == 401 ? what : what + ": " + serverMessage);
  }

  private static RemediationResult failed(String detail) {
    return new RemediationResult(RemediationResult.Outcome.FAILED, clip(detail));
  }

  private static RemediationResult succeeded(String detail) {
    return new RemediationResult(RemediationResult.Outcome.SUCCEEDED, clip(detail));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String oneLine(String s, int max) {
    String clean = s.replaceAll("\\p{Cntrl}", " ");
    return clean.length() <= max ? clean : clean.substring(0, max) + "…";
  }

  private static String clip(String s) {
    return oneLine(s, MAX_DETAIL_CHARS);
  }

  /** A target checked for the operation: valid names and parameters. */
  private record Target(KubernetesOperation op, String namespace, String name, int replicas,
      @Nullable String requiredLabelKey, @Nullable String requiredLabelValue) {

    static Target of(KubernetesOperation op, RemediationTarget target) {
      String namespace = target.namespace();
      String name = target.name();
      if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
        throw new RemediationException("namespace \"" + oneLine(namespace, 80)
            + "\" is not a valid Kubernetes namespace name");
      }
      if ("kube-system".equals(namespace)) {
        throw new RemediationException("namespace kube-system is never open to remediation");
      }
      if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
        throw new RemediationException("name \"" + oneLine(name, 80)
            + "\" is not a valid Kubernetes object name");
      }
      int replicas = -1;
      if (op == KubernetesOperation.SCALE) {
        replicas = replicas(target.parameters().get(REPLICAS));
      }
      String key = null;
      String value = null;
      String label = target.parameters().get(REQUIRED_LABEL);
      if (label != null) {
        int eq = label.indexOf('=');
        key = eq < 0 ? label.trim() : label.substring(0, eq).trim();
        value = eq < 0 ? null : label.substring(eq + 1).trim();
        if (key.isEmpty() || key.length() > 316 || !LABEL_KEY.matcher(key).matches()
            || (value != null && (value.length() > 63
                || !LABEL_VALUE.matcher(value).matches()))) {
          throw new RemediationException(REQUIRED_LABEL + " \"" + oneLine(label, 80)
              + "\" is not a label (key=value or key)");
        }
      }
      return new Target(op, namespace, name, replicas, key, value);
    }

    private static int replicas(@Nullable String raw) {
      if (raw == null || raw.isBlank()) {
        throw new RemediationException("scale needs the parameter " + REPLICAS);
      }
      try {
        int n = Integer.parseInt(raw.trim());
        if (n < 0 || n > MAX_REPLICAS) {
          throw new RemediationException(REPLICAS + " must be from 0 to " + MAX_REPLICAS
              + ", not " + n);
        }
        return n;
      } catch (NumberFormatException e) {
        throw new RemediationException(REPLICAS + " \"" + oneLine(raw, 40)
            + "\" is not a whole number");
      }
    }

    String describe() {
      return (op == KubernetesOperation.DELETE_POD ? "pod " : "deployment ") + namespace + "/"
          + name;
    }
  }
}
