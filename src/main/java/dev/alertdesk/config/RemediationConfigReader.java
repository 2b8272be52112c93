package dev.alertdesk.config;

import dev.alertdesk.alert.Matchers;
import dev.alertdesk.alert.MatcherSyntaxException;
import dev.alertdesk.remediation.ApprovalPolicy;
import dev.alertdesk.remediation.ExecutorKind;
import dev.alertdesk.remediation.HttpExecutorSettings;
import dev.alertdesk.remediation.KubernetesExecutorSettings;
import dev.alertdesk.remediation.NamespacePolicy;
import dev.alertdesk.remediation.RateLimit;
import dev.alertdesk.remediation.RemediationAction;
import dev.alertdesk.remediation.RemediationCatalogue;
import dev.alertdesk.remediation.RemediationConfig;
import dev.alertdesk.remediation.ScaleBounds;
import dev.alertdesk.remediation.TargetTemplate;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code remediation} section of {@code CONFIG_FILE} (README "Remediation"):
 *
 * <pre>
 * remediation:
 *   executors:
 *     kubernetes: {kubeconfig: /etc/alertdesk/kubeconfig, timeout: 10s}   # both optional
 *     http: {url: https://remediator.internal/run, secret_env: REMEDIATION_HMAC_SECRET, timeout: 10s}
 *   limits: {total: 20/1h}
 *   actions:
 *     - id: restart-deployment
 *       title: Restart deployment
 *       when: ['alertname="KubePodCrashLooping"']
 *       executor: kubernetes
 *       operation: rollout-restart
 *       target: {namespace: "{{ .Labels.namespace }}", name: "{{ .Labels.deployment }}"}
 *       namespaces: {allow: ["checkout", "team-*"], deny: ["*-db"]}
 *       required_label: alertdesk.io/remediable=true
 *       limits: {per_target: 3/1h, per_action: 10/1h}
 *       approval: {approvers: [leads], count: 1, ttl: 15m, required: always}
 * </pre>
 *
 * <p>Every error names the file, line and key path; unknown keys are errors.
 */
final class RemediationConfigReader {
  static final String SECTION = "remediation";
  private static final int MAX_ACTIONS = 100;
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern LABEL = Pattern.compile(
      "([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
          + "=([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
  private static final Pattern GLOB = Pattern.compile("[a-z0-9*?-]{1,63}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Path file;
  private final Map<String, String> env;

  private RemediationConfigReader(Path file, Map<String, String> env) {
    this.file = file;
    this.env = env;
  }

  /**
   * Reads the section.
   *
   * @param file names the source in errors
   * @param root the parsed file, or null when empty
   * @param env the environment for {@code ${VAR}} and {@code secret_env}
   * @param enabledSetting {@code REMEDIATION_ENABLED} as set, or null when unset
   * @return the config; {@link RemediationConfig#NONE} when the section is absent
   * @throws ConfigException naming the file, line and key
   */
  static RemediationConfig read(@Nullable Path file, YamlTree.@Nullable Node root,
      Map<String, String> env, @Nullable String enabledSetting) {
    boolean enabled = enabledSetting == null || parseBool(enabledSetting);
    if (file == null || root == null || !(root.value() instanceof Map)) {
      return RemediationConfig.NONE;
    }
    YamlTree.Node section = root.mapping(file, "(top level)").get(SECTION);
    if (section == null || section.value() == null) {
      return RemediationConfig.NONE;
    }
    return new RemediationConfigReader(file, env).section(section, enabled);
  }

  private static boolean parseBool(String s) {
    return switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new ConfigException("REMEDIATION_ENABLED: must be true or false, got " + s);
    };
  }

  private RemediationConfig section(YamlTree.Node section, boolean enabled) {
    Map<String, YamlTree.Node> m = keys(section, SECTION, Set.of("executors", "limits", "actions"));
    KubernetesExecutorSettings kubernetes = null;
    HttpExecutorSettings http = null;
    YamlTree.Node executors = m.get("executors");
    if (executors != null && executors.value() != null) {
      Map<String, YamlTree.Node> e = keys(executors, SECTION + ".executors",
          Set.of("kubernetes", "http"));
      if (e.get("kubernetes") != null) {
        kubernetes = kubernetes(e.get("kubernetes"), SECTION + ".executors.kubernetes");
      }
      if (e.get("http") != null) {
        http = http(e.get("http"), SECTION + ".executors.http");
      }
    }
    RateLimit total = null;
    YamlTree.Node limits = m.get("limits");
    if (limits != null && limits.value() != null) {
      Map<String, YamlTree.Node> l = keys(limits, SECTION + ".limits", Set.of("total"));
      total = limit(l.get("total"), SECTION + ".limits.total");
    }
    YamlTree.Node actionsNode = m.get("actions");
    if (actionsNode == null || actionsNode.value() == null) {
      throw error(section, SECTION + ".actions", "required: at least one action");
    }
    List<YamlTree.Node> items = actionsNode.sequence(file, SECTION + ".actions");
    if (items.isEmpty() || items.size() > MAX_ACTIONS) {
      throw error(actionsNode, SECTION + ".actions", "1 to " + MAX_ACTIONS + " actions");
    }
    List<RemediationAction> actions = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      RemediationAction a = action(items.get(i), SECTION + ".actions[" + i + "]", http != null);
      if (!ids.add(a.id())) {
        throw error(items.get(i), SECTION + ".actions[" + i + "].id", "\"" + a.id()
            + "\" is used twice");
      }
      actions.add(a);
    }
    return new RemediationConfig(enabled, new RemediationCatalogue(actions, total), kubernetes,
        http);
  }

  private KubernetesExecutorSettings kubernetes(YamlTree.Node node, String path) {
    if (node.value() == null) {
      return new KubernetesExecutorSettings(null, Duration.ofSeconds(10));
    }
    Map<String, YamlTree.Node> m = keys(node, path, Set.of("kubeconfig", "timeout"));
    String kubeconfig = scalar(m.get("kubeconfig"), path + ".kubeconfig");
    Duration timeout = duration(m.get("timeout"), path + ".timeout", Duration.ofSeconds(10));
    if (timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw error(m.get("timeout"), path + ".timeout", "must be between 1ms and 5m");
    }
    return new KubernetesExecutorSettings(kubeconfig == null ? null : Path.of(kubeconfig),
        timeout);
  }

  private HttpExecutorSettings http(YamlTree.Node node, String path) {
    Map<String, YamlTree.Node> m = keys(node, path, Set.of("url", "secret_env", "timeout"));
    String url = required(m, node, path, "url");
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw error(m.get("url"), path + ".url", "not a valid URL");
    }
    if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http")
        || uri.getScheme().equalsIgnoreCase("https")) || uri.getHost() == null) {
      throw error(m.get("url"), path + ".url", "must be an http:// or https:// URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw error(m.get("url"), path + ".url", "must not carry credentials; use secret_env");
    }
    String secretEnv = required(m, node, path, "secret_env");
    if (!ENV_NAME.matcher(secretEnv).matches()) {
      throw error(m.get("secret_env"), path + ".secret_env", "must name an environment variable");
    }
    String secret = env.get(secretEnv);
    if (secret == null || secret.isBlank()) {
      throw error(m.get("secret_env"), path + ".secret_env", "the variable " + secretEnv
          + " is not set");
    }
    if (secret.length() < 16) {
      throw error(m.get("secret_env"), path + ".secret_env", "the secret in " + secretEnv
          + " must be at least 16 characters");
    }
    Duration timeout = duration(m.get("timeout"), path + ".timeout", Duration.ofSeconds(10));
    if (timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw error(m.get("timeout"), path + ".timeout", "must be between 1ms and 5m");
    }
    return new HttpExecutorSettings(uri, secretEnv, secret.strip(), timeout);
  }

  private RemediationAction action(YamlTree.Node node, String path, boolean httpConfigured) {
    Map<String, YamlTree.Node> m = keys(node, path, Set.of("id", "title", "when", "executor",
        "operation", "target", "namespaces", "required_label", "limits", "scale", "approval"));
    String id = required(m, node, path, "id");
    if (!ID.matcher(id).matches()) {
      throw error(m.get("id"), path + ".id", "lower-case letters, digits and '-', at most 63, "
          + "got \"" + id + "\"");
    }
    String title = required(m, node, path, "title");
    if (title.length() > 60) {
      throw error(m.get("title"), path + ".title", "at most 60 characters");
    }
    YamlTree.Node whenNode = m.get("when");
    if (whenNode == null || whenNode.value() == null) {
      throw error(node, path + ".when", "required: the matchers of the incidents that offer it");
    }
    List<String> texts = strings(whenNode, path + ".when");
    if (texts.isEmpty()) {
      throw error(whenNode, path + ".when", "at least one matcher");
    }
    Matchers when;
    try {
      when = Matchers.parseEach(texts);
    } catch (MatcherSyntaxException e) {
      throw error(whenNode, path + ".when", e.getMessage());
    }
    String executorText = required(m, node, path, "executor");
    ExecutorKind executor;
    try {
      executor = ExecutorKind.valueOf(executorText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw error(m.get("executor"), path + ".executor", "must be kubernetes or http, got \""
          + executorText + "\"");
    }
    if (executor == ExecutorKind.HTTP && !httpConfigured) {
      throw error(m.get("executor"), path + ".executor",
          "http needs remediation.executors.http (url, secret_env)");
    }
    String operation = scalar(m.get("operation"), path + ".operation");
    if (operation == null) {
      if (executor != ExecutorKind.HTTP) {
        throw error(node, path + ".operation", "required: one of "
            + String.join(", ", executor.operations()));
      }
      operation = "post";
    }
    if (!executor.operations().contains(operation)) {
      throw error(m.get("operation"), path + ".operation", "must be one of "
          + String.join(", ", executor.operations()) + " for " + executor.wire() + ", got \""
          + operation + "\"");
    }
    YamlTree.Node targetNode = m.get("target");
    if (targetNode == null || targetNode.value() == null) {
      throw error(node, path + ".target", "required: {namespace: ..., name: ...}");
    }
    Map<String, YamlTree.Node> t = keys(targetNode, path + ".target", Set.of("namespace", "name"));
    TargetTemplate namespace = template(t, targetNode, path + ".target", "namespace",
        TargetTemplate.Kind.NAMESPACE);
    TargetTemplate name = template(t, targetNode, path + ".target", "name",
        TargetTemplate.Kind.NAME);
    YamlTree.Node nsNode = m.get("namespaces");
    if (nsNode == null || nsNode.value() == null) {
      throw error(node, path + ".namespaces", "required: {allow: [globs], deny: [globs]}");
    }
    Map<String, YamlTree.Node> ns = keys(nsNode, path + ".namespaces", Set.of("allow", "deny"));
    List<String> allow = globs(ns.get("allow"), path + ".namespaces.allow");
    if (allow.isEmpty()) {
      throw error(nsNode, path + ".namespaces.allow", "required: at least one namespace glob");
    }
    List<String> deny = globs(ns.get("deny"), path + ".namespaces.deny");
    String requiredLabel = scalar(m.get("required_label"), path + ".required_label");
    if (requiredLabel != null && !LABEL.matcher(requiredLabel).matches()) {
      throw error(m.get("required_label"), path + ".required_label",
          "must be key=value, such as alertdesk.io/remediable=true");
    }
    RateLimit perTarget = null;
    RateLimit perAction = null;
    YamlTree.Node limitsNode = m.get("limits");
    if (limitsNode != null && limitsNode.value() != null) {
      Map<String, YamlTree.Node> l = keys(limitsNode, path + ".limits",
          Set.of("per_target", "per_action"));
      perTarget = limit(l.get("per_target"), path + ".limits.per_target");
      perAction = limit(l.get("per_action"), path + ".limits.per_action");
    }
    ScaleBounds scale = null;
    YamlTree.Node scaleNode = m.get("scale");
    if (operation.equals("scale")) {
      if (scaleNode == null || scaleNode.value() == null) {
        throw error(node, path + ".scale", "required for scale: {replicas, min, max, max_change}");
      }
      Map<String, YamlTree.Node> s = keys(scaleNode, path + ".scale",
          Set.of("replicas", "min", "max", "max_change"));
      try {
        scale = new ScaleBounds(required(s, scaleNode, path + ".scale", "replicas"),
            integer(s, scaleNode, path + ".scale", "min"),
            integer(s, scaleNode, path + ".scale", "max"),
            integer(s, scaleNode, path + ".scale", "max_change"));
      } catch (IllegalArgumentException e) {
        throw error(scaleNode, path + ".scale", e.getMessage());
      }
    } else if (scaleNode != null) {
      throw error(scaleNode, path + ".scale", "only for operation scale");
    }
    YamlTree.Node approvalNode = m.get("approval");
    if (approvalNode == null || approvalNode.value() == null) {
      throw error(node, path + ".approval", "required: {approvers: [roles], count, ttl, required}");
    }
    return new RemediationAction(id, title, when, executor, operation, namespace, name,
        new NamespacePolicy(allow, deny), requiredLabel, perTarget, perAction, scale,
        approval(approvalNode, path + ".approval"));
  }

  private ApprovalPolicy approval(YamlTree.Node node, String path) {
    Map<String, YamlTree.Node> m = keys(node, path, Set.of("approvers", "count", "ttl", "required"));
    String requiredText = scalar(m.get("required"), path + ".required");
    ApprovalPolicy.Required required;
    if (requiredText == null || requiredText.equals("always")) {
      required = ApprovalPolicy.Required.ALWAYS;
    } else if (requiredText.equals("never")) {
      required = ApprovalPolicy.Required.NEVER;
    } else {
      throw error(m.get("required"), path + ".required", "must be always or never, got \""
          + requiredText + "\"");
    }
    List<String> approvers = m.get("approvers") == null || m.get("approvers").value() == null
        ? List.of() : strings(m.get("approvers"), path + ".approvers");
    int count = m.get("count") == null ? 1 : integer(m, node, path, "count");
    Duration ttl = duration(m.get("ttl"), path + ".ttl", ApprovalPolicy.DEFAULT_TTL);
    if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofHours(24)) > 0) {
      throw error(m.get("ttl"), path + ".ttl", "must be between 1m and 24h");
    }
    try {
      return new ApprovalPolicy(approvers, count, ttl, required);
    } catch (IllegalArgumentException e) {
      throw error(node, path, e.getMessage());
    }
  }

  private TargetTemplate template(Map<String, YamlTree.Node> m, YamlTree.Node parent,
      String path, String key, TargetTemplate.Kind kind) {
    String text = required(m, parent, path, key);
    try {
      return TargetTemplate.parse(text, kind);
    } catch (IllegalArgumentException e) {
      throw error(m.get(key), path + "." + key, e.getMessage());
    }
  }

  private List<String> globs(YamlTree.@Nullable Node node, String path) {
    if (node == null || node.value() == null) {
      return List.of();
    }
    List<String> out = strings(node, path);
    for (String g : out) {
      if (!GLOB.matcher(g).matches()) {
        throw error(node, path, "\"" + g + "\" is not a namespace glob (a-z, 0-9, '-', '*', '?')");
      }
    }
    return out;
  }

  private @Nullable RateLimit limit(YamlTree.@Nullable Node node, String path) {
    String text = scalar(node, path);
    if (text == null) {
      return null;
    }
    try {
      RateLimit limit = RateLimit.parse(text, p -> Durations.parse(p, path));
      if (limit.period().compareTo(Duration.ofSeconds(1)) < 0) {
        throw error(node, path, "the period must be at least 1s");
      }
      return limit;
    } catch (IllegalArgumentException e) {
      throw error(node, path, e.getMessage());
    } catch (ConfigException e) {
      throw error(node, path, "must be COUNT/PERIOD such as 3/1h");
    }
  }

  private Duration duration(YamlTree.@Nullable Node node, String path, Duration fallback) {
    String text = scalar(node, path);
    if (text == null) {
      return fallback;
    }
    try {
      return Durations.parse(text, path);
    } catch (ConfigException e) {
      throw error(node, path, "\"" + text + "\" is not a duration (use e.g. 30s, 5m, 1h)");
    }
  }

  private int integer(Map<String, YamlTree.Node> m, YamlTree.Node parent, String path,
      String key) {
    String text = required(m, parent, path, key);
    try {
      int n = Integer.parseInt(text);
      if (n < 0 || n > 100_000) {
        throw error(m.get(key), path + "." + key, "must be 0-100000");
      }
      return n;
    } catch (NumberFormatException e) {
      throw error(m.get(key), path + "." + key, "not a whole number: \"" + text + "\"");
    }
  }

  private List<String> strings(YamlTree.Node node, String path) {
    List<String> out = new ArrayList<>();
    if (node.value() instanceof String s) {
      out.add(Settings.expand(s, env, file, node.line()).strip());
      return out;
    }
    List<YamlTree.Node> items = node.sequence(file, path);
    for (int i = 0; i < items.size(); i++) {
      String v = scalar(items.get(i), path + "[" + i + "]");
      if (v == null) {
        throw error(items.get(i), path + "[" + i + "]", "must not be empty");
      }
      out.add(v);
    }
    return out;
  }

  private Map<String, YamlTree.Node> keys(YamlTree.Node node, String path, Set<String> known) {
    Map<String, YamlTree.Node> m = node.mapping(file, path);
    for (Map.Entry<String, YamlTree.Node> e : m.entrySet()) {
      if (!known.contains(e.getKey())) {
        throw error(e.getValue(), path + "." + e.getKey(), "unknown key; known keys are "
            + String.join(", ", known.stream().sorted().toList()));
      }
    }
    return m;
  }

  private String required(Map<String, YamlTree.Node> m, YamlTree.Node parent, String path,
      String key) {
    String v = scalar(m.get(key), path + "." + key);
    if (v == null) {
      throw error(parent, path + "." + key, "required");
    }
    return v;
  }

  private @Nullable String scalar(YamlTree.@Nullable Node node, String path) {
    if (node == null || node.value() == null) {
      return null;
    }
    String text = Settings.expand(node.scalar(file, path), env, file, node.line()).strip();
    return text.isEmpty() ? null : text;
  }

  private ConfigException error(YamlTree.@Nullable Node node, String path, String message) {
    return new ConfigException(file + " line " + (node == null ? 0 : node.line()) + ": " + path
        + ": " + message);
  }
}
