package dev.alertdesk.config;

import dev.alertdesk.enrich.PrometheusDatasource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code prometheus} section of {@code CONFIG_FILE}: the datasources besides
 * {@code PROMETHEUS_URL}, tried in file order.
 *
 * <pre>
 * prometheus:
 *   - name: eu
 *     url: http://prom-eu:9090
 *     match_generator_url: "http://prom-eu.internal:9090"
 *     timeout: 3s
 *     basic_auth: {username: grafana, password: "${PROM_EU_PASSWORD}"}
 *   - name: us
 *     url: http://thanos-query:9090/
 *     match_labels: {cluster: us-east-1}
 *     bearer_token_env: THANOS_TOKEN
 *     headers: {X-Scope-OrgID: team-a}
 * </pre>
 *
 * <p>Every error names the file, line and key path ({@code prometheus[1].url: …}). {@code ${VAR}}
 * in values is expanded from the environment; {@code bearer_token_env} names a variable that must
 * be set. Each entry needs a {@code match_generator_url} or {@code match_labels}, since it is
 * otherwise never chosen.
 */
public final class PrometheusConfig {
  /** Entries accepted at most. */
  static final int MAX_ENTRIES = 32;
  private static final Set<String> KEYS = Set.of("name", "url", "match_generator_url",
      "match_labels", "timeout", "basic_auth", "bearer_token_env", "headers");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** Headers the HTTP client sets itself, or that auth settings own. */
  private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "connection",
      "content-length", "content-type", "expect", "host", "upgrade", "accept");

  private PrometheusConfig() {}

  /**
   * Reads the datasources of {@code file}.
   *
   * @param file the config file, or null for none
   * @param env the environment {@code ${VAR}} and {@code bearer_token_env} are read from
   * @param defaultTimeout the timeout of entries without their own ({@code PROMETHEUS_TIMEOUT})
   * @return the entries in file order; empty when there is no file or no section
   * @throws ConfigException naming the file, line and key of the first invalid value
   */
  public static List<PrometheusDatasource> load(@Nullable Path file, Map<String, String> env,
      Duration defaultTimeout) {
    if (file == null) {
      return List.of();
    }
    return parse(file, ConfigFile.read(file).text(), env, defaultTimeout);
  }

  /**
   * Parses the section from YAML text.
   *
   * @param file names the source in error messages
   * @throws ConfigException naming the file, line and key of the first invalid value
   */
  static List<PrometheusDatasource> parse(Path file, String text, Map<String, String> env,
      Duration defaultTimeout) {
    return read(file, YamlTree.parse(file, text), env, defaultTimeout);
  }

  /**
   * Reads the section from the parsed file.
   *
   * @param file names the source in error messages
   * @param root the parsed file, or null when it is empty
   * @throws ConfigException naming the file, line and key of the first invalid value
   */
  static List<PrometheusDatasource> read(Path file, YamlTree.@Nullable Node root,
      Map<String, String> env, Duration defaultTimeout) {
    if (root == null || !(root.value() instanceof Map)) {
      return List.of();
    }
    YamlTree.Node section = root.mapping(file, "(top level)").get("prometheus");
    if (section == null || section.value() == null) {
      return List.of();
    }
    List<YamlTree.Node> items = section.sequence(file, "prometheus");
    if (items.size() > MAX_ENTRIES) {
      throw error(file, section, "prometheus", "at most " + MAX_ENTRIES + " entries, got "
          + items.size());
    }
    List<PrometheusDatasource> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String path = "prometheus[" + i + "]";
      YamlTree.Node item = items.get(i);
      Map<String, YamlTree.Node> m = item.mapping(file, path);
      for (Map.Entry<String, YamlTree.Node> e : m.entrySet()) {
        if (!KEYS.contains(e.getKey())) {
          throw error(file, e.getValue(), path + "." + e.getKey(), "unknown key; known keys are "
              + String.join(", ", KEYS.stream().sorted().toList()));
        }
      }
      String name = required(file, env, m, item, path, "name");
      if (!NAME.matcher(name).matches()) {
        throw error(file, m.get("name"), path + ".name",
            "letters, digits, '_', '.' or '-', at most 63, got \"" + name + "\"");
      }
      if (name.equalsIgnoreCase(PrometheusDatasource.DEFAULT_NAME)) {
        throw error(file, m.get("name"), path + ".name",
            "\"default\" is the name of PROMETHEUS_URL; choose another");
      }
      if (!names.add(name.toLowerCase(Locale.ROOT))) {
        throw error(file, m.get("name"), path + ".name", "\"" + name + "\" is used twice");
      }
      String url = httpUrl(file, m.get("url"), path + ".url",
          required(file, env, m, item, path, "url"));
      String generator = scalar(file, env, m.get("match_generator_url"),
          path + ".match_generator_url");
      if (generator != null) {
        generator = httpUrl(file, m.get("match_generator_url"), path + ".match_generator_url",
            generator);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      YamlTree.Node labelNode = m.get("match_labels");
      if (labelNode != null && labelNode.value() != null) {
        for (Map.Entry<String, YamlTree.Node> e
            : labelNode.mapping(file, path + ".match_labels").entrySet()) {
          String lp = path + ".match_labels." + e.getKey();
          if (!LABEL_NAME.matcher(e.getKey()).matches()) {
            throw error(file, e.getValue(), lp, "not a valid label name");
          }
          String v = scalar(file, env, e.getValue(), lp);
          labels.put(e.getKey(), v == null ? "" : v);
        }
      }
      if (generator == null && labels.isEmpty()) {
        throw error(file, item, path, "needs match_generator_url or match_labels, or it is never "
            + "chosen");
      }
      Duration timeout = defaultTimeout;
      String timeoutText = scalar(file, env, m.get("timeout"), path + ".timeout");
      if (timeoutText != null) {
        try {
          timeout = Durations.parse(timeoutText, path + ".timeout");
        } catch (ConfigException e) {
          throw new ConfigException(file + " line " + m.get("timeout").line() + ": "
              + e.getMessage());
        }
        if (timeout.compareTo(Duration.ofMillis(100)) < 0
            || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
          throw error(file, m.get("timeout"), path + ".timeout",
              "must be between 100ms and 60s, got " + timeoutText);
        }
      }
      String authorization = null;
      YamlTree.Node basic = m.get("basic_auth");
      if (basic != null && basic.value() != null) {
        Map<String, YamlTree.Node> b = basic.mapping(file, path + ".basic_auth");
        for (Map.Entry<String, YamlTree.Node> e : b.entrySet()) {
          if (!Set.of("username", "password").contains(e.getKey())) {
            throw error(file, e.getValue(), path + ".basic_auth." + e.getKey(),
                "unknown key; known keys are password, username");
          }
        }
        String user = required(file, env, b, basic, path + ".basic_auth", "username");
        String password = scalar(file, env, b.get("password"), path + ".basic_auth.password");
        authorization = "Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
      }
      String bearerEnv = scalar(file, env, m.get("bearer_token_env"), path + ".bearer_token_env");
      if (bearerEnv != null) {
        if (authorization != null) {
          throw error(file, m.get("bearer_token_env"), path + ".bearer_token_env",
              "use either basic_auth or bearer_token_env, not both");
        }
        if (!ENV_NAME.matcher(bearerEnv).matches()) {
          throw error(file, m.get("bearer_token_env"), path + ".bearer_token_env",
              "must name an environment variable");
        }
        String token = env.get(bearerEnv);
        if (token == null || token.isBlank()) {
          throw error(file, m.get("bearer_token_env"), path + ".bearer_token_env",
              bearerEnv + " is not set in the environment");
        }
        authorization = "Bearer " + token.strip();
      }
      Map<String, String> headers = new LinkedHashMap<>();
      YamlTree.Node headerNode = m.get("headers");
      if (headerNode != null && headerNode.value() != null) {
        for (Map.Entry<String, YamlTree.Node> e
            : headerNode.mapping(file, path + ".headers").entrySet()) {
          String hp = path + ".headers." + e.getKey();
          if (!HEADER_NAME.matcher(e.getKey()).matches()) {
            throw error(file, e.getValue(), hp, "not a valid header name");
          }
          if (RESERVED_HEADERS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
            throw error(file, e.getValue(), hp, "set by Alertdesk itself"
                + (e.getKey().equalsIgnoreCase("authorization")
                    ? "; use basic_auth or bearer_token_env" : ""));
          }
          String v = scalar(file, env, e.getValue(), hp);
          if (v == null || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw error(file, e.getValue(), hp, "needs a value without control characters");
          }
          headers.put(e.getKey(), v);
        }
      }
      out.add(new PrometheusDatasource(name, stripSlash(url), generator, labels, timeout,
          authorization, headers));
    }
    return List.copyOf(out);
  }

  private static String required(Path file, Map<String, String> env,
      Map<String, YamlTree.Node> m, YamlTree.Node parent, String path, String key) {
    String v = scalar(file, env, m.get(key), path + "." + key);
    if (v == null) {
      throw error(file, parent, path + "." + key, "required");
    }
    return v;
  }

  private static @Nullable String scalar(Path file, Map<String, String> env,
      YamlTree.@Nullable Node node, String path) {
    if (node == null || node.value() == null) {
      return null;
    }
    String text = Settings.expand(node.scalar(file, path), env, file, node.line()).strip();
    return text.isEmpty() ? null : text;
  }

  private static String httpUrl(Path file, YamlTree.@Nullable Node node, String path,
      String text) {
    try {
      URI uri = URI.create(text);
      if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http")
          || uri.getScheme().equalsIgnoreCase("https")) || uri.getHost() == null) {
        throw error(file, node, path, "must be an http:// or https:// URL");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw error(file, node, path, "must not have a query or fragment");
      }
      return text;
    } catch (IllegalArgumentException e) {
      throw error(file, node, path, "not a valid URL");
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static ConfigException error(Path file, YamlTree.@Nullable Node node, String path,
      String message) {
    return new ConfigException(file + " line " + (node == null ? 0 : node.line()) + ": " + path
        + ": " + message);
  }
}
