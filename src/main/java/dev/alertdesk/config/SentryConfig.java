package dev.alertdesk.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the Sentry sink's settings: {@code SENTRY_DSN} and {@code SENTRY_AUTH_TOKEN} (environment,
 * or the file's top-level {@code sentry_dsn} / {@code sentry_auth_token}), and the {@code sentry}
 * section of {@code CONFIG_FILE}:
 *
 * <pre>
 * sentry:
 *   organization: acme            # required with SENTRY_AUTH_TOKEN
 *   project: alerts               # optional: resolve only issues of this project
 *   api_url: https://sentry.io/api/0/
 *   environment_label: env        # the label that becomes the event's environment
 *   fingerprint: alert            # or group_key
 *   timeout: 10s
 * </pre>
 *
 * <p>Every error names the file, line and key ({@code sentry.fingerprint: …}); the DSN and the
 * token are never part of an error.
 */
public final class SentryConfig {
  private static final Set<String> KEYS = Set.of("organization", "project", "api_url",
      "environment_label", "fingerprint", "timeout");

  private SentryConfig() {}

  /**
   * Reads the settings.
   *
   * @param file the config file, or null when there is none
   * @param root the parsed file, or null when there is none or it is empty
   * @param env the environment {@code ${VAR}} is expanded from
   * @param dsn {@code SENTRY_DSN}, or null when unset
   * @param authToken {@code SENTRY_AUTH_TOKEN}, or null when unset
   * @return the settings; {@link SentrySettings#OFF} with the section's values when no DSN
   * @throws ConfigException listing every invalid value, in file order
   */
  static SentrySettings read(@Nullable Path file, YamlTree.@Nullable Node root,
      Map<String, String> env, @Nullable String dsn, @Nullable String authToken) {
    List<String> problems = new ArrayList<>();
    if (dsn != null) {
      String problem = SentrySettings.dsnProblem(dsn);
      if (problem != null) {
        problems.add("SENTRY_DSN: " + problem);
      }
    }
    SentrySettings d = SentrySettings.OFF;
    String organization = null;
    String project = null;
    String apiUrl = d.apiUrl();
    String environmentLabel = d.environmentLabel();
    SentrySettings.Fingerprint fingerprint = d.fingerprint();
    Duration timeout = d.timeout();
    YamlTree.Node section = file == null || root == null || !(root.value() instanceof Map) ? null
        : root.mapping(file, "(top level)").get("sentry");
    if (file != null && section != null && section.value() != null) {
      Map<String, YamlTree.Node> m;
      try {
        m = section.mapping(file, "sentry");
      } catch (ConfigException e) {
        throw new ConfigException(problems.isEmpty() ? List.of(e.getMessage())
            : concat(problems, e.getMessage()));
      }
      for (Map.Entry<String, YamlTree.Node> e : m.entrySet()) {
        if (!KEYS.contains(e.getKey())) {
          problems.add(where(file, e.getValue()) + "sentry." + e.getKey()
              + ": unknown key; known keys are " + String.join(", ", KEYS.stream().sorted()
                  .toList()));
        }
      }
      Values v = new Values();
      step(problems, () -> v.organization = scalar(file, env, m.get("organization"),
          "sentry.organization"));
      step(problems, () -> v.project = scalar(file, env, m.get("project"), "sentry.project"));
      step(problems, () -> {
        String api = scalar(file, env, m.get("api_url"), "sentry.api_url");
        if (api != null) {
          v.apiUrl = apiUrl(file, m.get("api_url"), api);
        }
      });
      step(problems, () -> {
        String label = scalar(file, env, m.get("environment_label"), "sentry.environment_label");
        if (label != null) {
          if (!label.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ConfigException(where(file, m.get("environment_label"))
                + "sentry.environment_label: not a label name");
          }
          v.environmentLabel = label;
        }
      });
      step(problems, () -> {
        String fp = scalar(file, env, m.get("fingerprint"), "sentry.fingerprint");
        if (fp != null) {
          if (fp.equals("alert")) {
            v.fingerprint = SentrySettings.Fingerprint.ALERT;
          } else if (fp.equals("group_key")) {
            v.fingerprint = SentrySettings.Fingerprint.GROUP_KEY;
          } else {
            throw new ConfigException(where(file, m.get("fingerprint"))
                + "sentry.fingerprint: must be alert or group_key, got \"" + fp + "\"");
          }
        }
      });
      step(problems, () -> {
        String t = scalar(file, env, m.get("timeout"), "sentry.timeout");
        if (t != null) {
          Duration parsed = Durations.parse(t, where(file, m.get("timeout")) + "sentry.timeout");
          if (parsed.compareTo(Duration.ofMillis(100)) < 0
              || parsed.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new ConfigException(where(file, m.get("timeout"))
                + "sentry.timeout: must be between 100ms and 60s, got " + t);
          }
          v.timeout = parsed;
        }
      });
      organization = v.organization;
      project = v.project;
      apiUrl = v.apiUrl == null ? apiUrl : v.apiUrl;
      environmentLabel = v.environmentLabel == null ? environmentLabel : v.environmentLabel;
      fingerprint = v.fingerprint == null ? fingerprint : v.fingerprint;
      timeout = v.timeout == null ? timeout : v.timeout;
    }
    if (dsn != null && authToken != null && organization == null) {
      problems.add((file == null ? "" : file + ": ")
          + "sentry.organization: required when SENTRY_AUTH_TOKEN is set (the organization "
          + "slug, as in https://sentry.io/organizations/<slug>/, in the sentry section of "
          + "CONFIG_FILE)");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(ConfigException.inFileOrder(problems));
    }
    return new SentrySettings(dsn == null ? null : dsn.strip(),
        authToken == null ? null : authToken.strip(), organization, project, apiUrl,
        environmentLabel, fingerprint, timeout);
  }

  /** The section's values read so far; null for a key not given (or invalid). */
  private static final class Values {
    @Nullable String organization;
    @Nullable String project;
    @Nullable String apiUrl;
    @Nullable String environmentLabel;
    SentrySettings.@Nullable Fingerprint fingerprint;
    @Nullable Duration timeout;
  }

  /** Runs one key's check, collecting its error so that every bad key is reported. */
  private static void step(List<String> problems, Runnable check) {
    try {
      check.run();
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
  }

  private static String apiUrl(Path file, YamlTree.@Nullable Node node, String text) {
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where(file, node) + "sentry.api_url: not a valid URL");
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http")
        || uri.getScheme().equals("https")) || uri.getHost() == null
        || uri.getRawUserInfo() != null || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new ConfigException(where(file, node)
          + "sentry.api_url: must be an http:// or https:// URL without user, query or fragment, "
          + "such as https://sentry.io/api/0/");
    }
    return text.endsWith("/") ? text : text + "/";
  }

  private static @Nullable String scalar(Path file, Map<String, String> env,
      YamlTree.@Nullable Node node, String path) {
    if (node == null || node.value() == null) {
      return null;
    }
    String text = Settings.expand(node.scalar(file, path), env, file, node.line()).strip();
    return text.isEmpty() ? null : text;
  }

  private static String where(Path file, YamlTree.@Nullable Node node) {
    return file + " line " + (node == null ? 0 : node.line()) + ": ";
  }

  private static List<String> concat(List<String> a, String b) {
    List<String> out = new ArrayList<>(a);
    out.add(b);
    return out;
  }
}
