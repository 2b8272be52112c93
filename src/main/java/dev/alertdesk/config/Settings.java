package dev.alertdesk.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.alertdesk.enrich.PrometheusDatasource;
import dev.alertdesk.email.SmtpSettings;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.remediation.RemediationConfig;
import dev.alertdesk.rbac.RbacPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Every setting of the service, read from the environment and, when {@code CONFIG_FILE} names
 * one, a YAML file. Names and defaults are DESIGN.md's "Environment" table; the environment wins
 * over the file, and {@code ${VAR}} inside the file is expanded from the environment.
 * {@link #toString()} masks secrets.
 *
 * @param listenHost bind address; default {@code 127.0.0.1}
 * @param port HTTP port, 1–65535 (0 picks a free port, for tests); default 3031
 * @param baseUrl public URL of this service, or null
 * @param slackBotToken {@code xoxb-…}, or null when Slack delivery is off
 * @param slackSigningSecret signs {@code /slack/events}, or null when interactivity is off
 * @param slackChannel default channel (name or ID), or null
 * @param slackApiUrl Slack Web API base, always ending in {@code /}
 * @param prometheusUrl Prometheus base URL
 * @param alertmanagerUrl Alertmanager base URL, without the {@code user:pass@} it may be
 *     configured with (those credentials are in {@code alertmanagerAuth}); safe to show
 * @param storageDir directory for images and the default SQLite database
 * @param database where the incident store lives
 * @param webhookBearerToken required bearer token on the webhook, or null
 * @param webhookBasicAuth required {@code user:password} on the webhook, or null
 * @param configFile the YAML file read, or null
 * @param logJson one JSON object per log line
 * @param logLevel {@code trace}, {@code debug}, {@code info}, {@code warn} or {@code error}
 * @param maxPayloadBytes largest accepted webhook body in bytes; default 10 MiB
 * @param reopenWindow how long a resolved incident may reopen; default 1h
 * @param haCopyWindow {@code HA_COPY_WINDOW}: how long after an alert resolved a firing copy with
 *     the same {@code startsAt} is taken for a late copy from another Alertmanager of an HA pair
 *     and ignored; default 1m; 0 turns the rule off
 * @param retention how long resolved incidents are kept before the daily purge; default 90d
 * @param uiBasicAuth {@code user:password} required on the web UI and history API, or null
 * @param apiBearerToken when set, the read API ({@code /api/audit}, the history API) and the
 *     web UI accept {@code Authorization: Bearer <token>}; null leaves them open unless
 *     {@code uiBasicAuth} is set
 * @param graphs Prometheus enrichment and graphs ({@code GRAPH_LOOKBACK},
 *     {@code PROMETHEUS_TIMEOUT}, {@code IMAGE_DELIVERY}, {@code GRAPH_TIME_ZONE})
 * @param explorerUrl the autometrics Explorer ({@code EXPLORER_URL}): SLO alerts get an "Open in
 *     Explorer" button; or null
 * @param prometheusDatasources the {@code prometheus} section of {@code CONFIG_FILE}: further
 *     Prometheus servers chosen per alert before the default {@code PROMETHEUS_URL}; empty when
 *     none
 * @param alertmanagerAuth what every Alertmanager API call sends: Basic auth from
 *     {@code user:pass@} in {@code ALERTMANAGER_URL}, or {@code ALERTMANAGER_BEARER_TOKEN}, and
 *     the {@code alertmanager.headers} of {@code CONFIG_FILE}
 * @param noiseRules the {@code routes}, {@code noise} and {@code reminders} sections of
 *     {@code CONFIG_FILE}; {@link NoiseRules#NONE} when there is no file or none of them
 * @param remediation the {@code remediation} section of {@code CONFIG_FILE} with
 *     {@code REMEDIATION_ENABLED}; {@link RemediationConfig#NONE} when there is no such section
 * @param rbac the {@code rbac} section of {@code CONFIG_FILE} (roles and grants), or null when
 *     there is none (then acknowledge, silence and snooze stay open to the channel and
 *     remediation is off)
 * @param slackAppToken {@code SLACK_APP_TOKEN}, an app-level token ({@code xapp-…}, scope
 *     {@code connections:write}) that turns on Socket Mode; or null
 * @param sentry the Sentry sink: {@code SENTRY_DSN}, {@code SENTRY_AUTH_TOKEN} and the
 *     {@code sentry} section of {@code CONFIG_FILE}; {@link SentrySettings#OFF} without a DSN
 * @param smtp the {@code smtp} section of {@code CONFIG_FILE} (e-mail delivery), or null when
 *     e-mail is off
 */
public record Settings(
    String listenHost,
    int port,
    @Nullable String baseUrl,
    @Nullable String slackBotToken,
    @Nullable String slackSigningSecret,
    @Nullable String slackChannel,
    String slackApiUrl,
    String prometheusUrl,
    String alertmanagerUrl,
    Path storageDir,
    DatabaseTarget database,
    @Nullable String webhookBearerToken,
    @Nullable String webhookBasicAuth,
    @Nullable Path configFile,
    boolean logJson,
    String logLevel,
    long maxPayloadBytes,
    Duration reopenWindow,
    Duration haCopyWindow,
    Duration retention,
    @Nullable String uiBasicAuth,
    @Nullable String apiBearerToken,
    GraphSettings graphs,
    @Nullable String explorerUrl,
    List<PrometheusDatasource> prometheusDatasources,
    HttpAuth alertmanagerAuth,
    NoiseRules noiseRules,
    @Nullable RbacPolicy rbac,
    @Nullable String slackAppToken,
    SentrySettings sentry,
    @Nullable SmtpSettings smtp,
    RemediationConfig remediation) {

  /** Copies the list. */
  public Settings {
    prometheusDatasources = List.copyOf(prometheusDatasources);
  }

  /** The setting names, upper-case as in the environment; the YAML file uses them lower-case. */
  public static final List<String> NAMES = java.util.stream.Stream.concat(Stream.of(
      "LISTEN_HOST", "PORT", "BASE_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET",
      "SLACK_CHANNEL", "SLACK_API_URL", "PROMETHEUS_URL", "ALERTMANAGER_URL", "STORAGE_DIR",
      "DB_CONNECTION_STRING", "WEBHOOK_BEARER_TOKEN", "WEBHOOK_BASIC_AUTH", "CONFIG_FILE",
      "LOG_JSON", "LOG_LEVEL", "MAX_PAYLOAD_BYTES", "REOPEN_WINDOW", "HA_COPY_WINDOW",
      "RETENTION", "UI_BASIC_AUTH", "API_BEARER_TOKEN", "EXPLORER_URL", "RUST_LOG",
      "ALERTMANAGER_BEARER_TOKEN", "SLACK_APP_TOKEN", "SENTRY_DSN", "SENTRY_AUTH_TOKEN",
      "REMEDIATION_ENABLED"),
      GraphSettings.NAMES.stream()).toList();

  /** The YAML section {@code alertmanager: {headers: {Name: value}}}, read here. */
  private static final String ALERTMANAGER_SECTION = "alertmanager";

  /** Prefix of the internal keys that carry {@code alertmanager.headers} from the file. */
  private static final String AM_HEADER = "alertmanager.headers.";

  private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  /**
   * Reads the settings: the one loader of {@code CONFIG_FILE}, which it reads and parses once and
   * hands to each section's reader ({@link ConfigFile#SECTIONS}).
   *
   * @param env the environment, normally {@link System#getenv()}
   * @return validated settings, with the file's sections
   * @throws ConfigException naming the bad key (and file line) of every invalid or missing value
   *     found, in file order ({@link ConfigException#problems()})
   */
  public static Settings load(Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Integer> fileLines = new LinkedHashMap<>();
    String configFile = blankToNull(env.get("CONFIG_FILE"));
    ConfigFile file = configFile == null ? null : ConfigFile.read(Path.of(configFile));
    YamlTree.Node root = file == null ? null : YamlTree.parse(file.path(), file.text());
    List<String> problems = new java.util.ArrayList<>();
    boolean fileRead = true;
    if (file != null) {
      try {
        values.putAll(readFile(file, env, fileLines));
      } catch (ConfigException e) {
        problems.addAll(e.problems());
        fileRead = false;
      }
    }
    for (String name : NAMES) {
      String v = blankToNull(env.get(name));
      if (v != null) {
        values.put(name, v);
        fileLines.remove(name);
      }
    }
    Settings settings = null;
    if (fileRead) {
      try {
        settings = fromValues(values, file == null ? null : file.path());
      } catch (ConfigException e) {
        problems.addAll(locate(e, configFile, fileLines).problems());
      }
    }
    NoiseRules noise = NoiseRules.NONE;
    List<PrometheusDatasource> datasources = List.of();
    RemediationConfig remediation = RemediationConfig.NONE;
    RbacPolicy rbac = null;
    SmtpSettings smtp = null;
    if (file != null) {
      try {
        remediation = RemediationConfigReader.read(file.path(), root, env,
            values.get("REMEDIATION_ENABLED"));
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
      try {
        rbac = RbacConfig.read(file.path(), root);
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
      try {
        noise = NoiseConfig.read(file.path(), root, env);
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
      try {
        smtp = SmtpConfig.read(file.path(), root, env);
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
      if (settings != null) {
        try {
          datasources = PrometheusConfig.read(file.path(), root, env,
              settings.graphs().prometheusTimeout());
        } catch (ConfigException e) {
          problems.addAll(e.problems());
        }
      }
    }
    SentrySettings sentry = SentrySettings.OFF;
    try {
      sentry = SentryConfig.read(file == null ? null : file.path(), root, env,
          values.get("SENTRY_DSN"), values.get("SENTRY_AUTH_TOKEN"));
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty() || settings == null) {
      throw new ConfigException(problems);
    }
    return settings.withFileSections(datasources, noise, rbac, sentry, smtp, remediation);
  }

  /**
   * Points a value error at the file line the value came from: {@code PORT: not a whole number}
   * becomes {@code FILE line 3: port: not a whole number}. Errors about values from the
   * environment, or naming no single key, are returned unchanged.
   */
  private static ConfigException locate(ConfigException e, @Nullable String configFile,
      Map<String, Integer> fileLines) {
    String message = e.getMessage();
    for (Map.Entry<String, Integer> entry : fileLines.entrySet()) {
      String name = entry.getKey();
      if (message.startsWith(name + ":")) {
        return new ConfigException(configFile + " line " + entry.getValue() + ": "
            + name.toLowerCase(Locale.ROOT) + message.substring(name.length()));
      }
    }
    return e;
  }

  private static Settings fromValues(Map<String, String> v, @Nullable Path configFile) {
    Path storageDir = Path.of(v.getOrDefault("STORAGE_DIR", "./data"));
    String db = v.getOrDefault("DB_CONNECTION_STRING", "sqlite://" + storageDir.resolve("alertdesk.db"));
    String token = v.get("SLACK_BOT_TOKEN");
    String channel = v.get("SLACK_CHANNEL");
    if (token != null && channel == null) {
      throw new ConfigException(
          "SLACK_CHANNEL: required when SLACK_BOT_TOKEN is set (a channel name such as #alerts, or an ID)");
    }
    String basic = v.get("WEBHOOK_BASIC_AUTH");
    if (basic != null && basic.indexOf(':') < 1) {
      throw new ConfigException("WEBHOOK_BASIC_AUTH: must be user:password");
    }
    String uiBasic = v.get("UI_BASIC_AUTH");
    if (uiBasic != null && uiBasic.indexOf(':') < 1) {
      throw new ConfigException("UI_BASIC_AUTH: must be user:password");
    }
    Duration retention = Durations.parse(v.getOrDefault("RETENTION", "90d"), "RETENTION");
    if (retention.compareTo(Duration.ofHours(1)) < 0
        || retention.compareTo(Duration.ofDays(100 * 365)) > 0) {
      throw new ConfigException("RETENTION: must be between 1h and 100y, got "
          + v.get("RETENTION"));
    }
    String level = v.getOrDefault("LOG_LEVEL",
        LogSetup.levelOfRustLog(v.get("RUST_LOG"))).toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw new ConfigException("LOG_LEVEL: must be one of trace, debug, info, warn, error");
    }
    String slackApi = url(v.getOrDefault("SLACK_API_URL", "https://slack.com/api/"), "SLACK_API_URL");
    if (!slackApi.endsWith("/")) {
      slackApi = slackApi + "/";
    }
    String baseUrl = v.get("BASE_URL") == null ? null : url(v.get("BASE_URL"), "BASE_URL");
    String alertmanagerUrl = stripSlash(url(v.getOrDefault("ALERTMANAGER_URL",
        "http://localhost:9093"), "ALERTMANAGER_URL"));
    Map<String, String> amHeaders = new LinkedHashMap<>();
    v.forEach((name, value) -> {
      if (name.startsWith(AM_HEADER)) {
        amHeaders.put(name.substring(AM_HEADER.length()), value);
      }
    });
    HttpAuth alertmanagerAuth = HttpAuth.of(alertmanagerUrl, v.get("ALERTMANAGER_BEARER_TOKEN"),
        amHeaders, "ALERTMANAGER_URL");
    String explorerUrl = v.get("EXPLORER_URL") == null ? null
        : stripSlash(url(v.get("EXPLORER_URL"), "EXPLORER_URL"));
    String appToken = v.get("SLACK_APP_TOKEN");
    if (appToken != null && !appToken.startsWith("xapp-")) {
      // Never echo the value: it may be a bot token pasted into the wrong variable.
      throw new ConfigException("SLACK_APP_TOKEN: must be an app-level token starting with "
          + "xapp- (Basic Information > App-Level Tokens, scope connections:write)");
    }
    return new Settings(
        v.getOrDefault("LISTEN_HOST", "127.0.0.1"),
        (int) number(v.getOrDefault("PORT", "3031"), "PORT", 0, 65535),
        baseUrl == null ? null : stripSlash(baseUrl),
        token,
        v.get("SLACK_SIGNING_SECRET"),
        channel,
        slackApi,
        stripSlash(url(v.getOrDefault("PROMETHEUS_URL", "http://localhost:9090"), "PROMETHEUS_URL")),
        Urls.withoutUserInfo(alertmanagerUrl),
        storageDir,
        DatabaseTarget.parse(db),
        v.get("WEBHOOK_BEARER_TOKEN"),
        basic,
        configFile,
        bool(v.getOrDefault("LOG_JSON", "false"), "LOG_JSON"),
        level,
        number(v.getOrDefault("MAX_PAYLOAD_BYTES", String.valueOf(10 * 1024 * 1024)),
            "MAX_PAYLOAD_BYTES", 1024, Integer.MAX_VALUE - 1),
        reopenWindow(v.getOrDefault("REOPEN_WINDOW", "1h")),
        haCopyWindow(v.getOrDefault("HA_COPY_WINDOW", "1m")),
        retention,
        uiBasic,
        v.get("API_BEARER_TOKEN"),
        GraphSettings.from(v, baseUrl == null ? null : stripSlash(baseUrl)),
        explorerUrl,
        List.of(),
        alertmanagerAuth,
        NoiseRules.NONE,
        null,
        appToken,
        SentrySettings.OFF,
        null,
        RemediationConfig.NONE);
  }

  /**
   * Returns these settings with the {@code prometheus}, routes, noise, rbac, sentry, smtp and
   * remediation sections.
   */
  private Settings withFileSections(List<PrometheusDatasource> datasources, NoiseRules noise,
      @Nullable RbacPolicy rbacPolicy, SentrySettings sentry, @Nullable SmtpSettings smtp,
      RemediationConfig remediation) {
    return new Settings(listenHost, port, baseUrl, slackBotToken, slackSigningSecret,
        slackChannel, slackApiUrl, prometheusUrl, alertmanagerUrl, storageDir, database,
        webhookBearerToken, webhookBasicAuth, configFile, logJson, logLevel, maxPayloadBytes,
        reopenWindow, haCopyWindow, retention, uiBasicAuth, apiBearerToken, graphs, explorerUrl,
        datasources, alertmanagerAuth, noise, rbacPolicy, slackAppToken, sentry, smtp, remediation);
  }

  /**
   * Reads the scalar settings of a YAML config file, expanding {@code ${VAR}} from {@code env}.
   *
   * @return upper-case setting name to value
   * @throws ConfigException naming the file, line and key for unreadable YAML, unknown keys,
   *     non-scalar values or unset variables
   */
  static Map<String, String> readFile(Path file, Map<String, String> env) {
    return readFile(ConfigFile.read(file), env, new LinkedHashMap<>());
  }

  /** As {@link #readFile(Path, Map)}, also recording the line of each setting in {@code lines}. */
  private static Map<String, String> readFile(ConfigFile configFile, Map<String, String> env,
      Map<String, Integer> lines) {
    Path file = configFile.path();
    String text = configFile.text();
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new java.util.ArrayList<>();
    try (JsonParser parser = new YAMLFactory().createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return values;
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ConfigException(file + " line " + parser.currentLocation().getLineNr()
            + ": the top level must be a mapping of settings");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        int line = parser.currentLocation().getLineNr();
        JsonToken value = parser.nextToken();
        if (key.equals(ALERTMANAGER_SECTION)) {
          readAlertmanagerSection(parser, value, file, line, env, values, lines);
          continue;
        }
        if (ConfigFile.SECTIONS.contains(key)) {
          parser.skipChildren();
          continue;
        }
        String name = key.toUpperCase(Locale.ROOT);
        if (!NAMES.contains(name) || name.equals("CONFIG_FILE")) {
          problems.add(file + " line " + line + ": unknown key \"" + key
              + "\"; known keys are the sections " + String.join(", ", ConfigFile.SECTIONS)
              + " and the settings (environment variable names in lower case)");
          parser.skipChildren();
          continue;
        }
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          problems.add(file + " line " + line + ": \"" + key + "\" must be a single value");
          parser.skipChildren();
          continue;
        }
        // A blank value means unset, as BASE_URL="" does in the autometrics docker-compose.
        if (value != JsonToken.VALUE_NULL && !parser.getText().isBlank()) {
          // Expanded after parsing, so a value taken from the environment is used verbatim:
          // a secret beginning with & * ! or holding " #" must not be read as YAML syntax.
          try {
            values.put(name, expand(parser.getText(), env, file, line));
            lines.put(name, line);
          } catch (ConfigException e) {
            problems.add(e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      // The message's first line says what is wrong; its location is only in later lines.
      String where = e instanceof JsonProcessingException p && p.getLocation() != null
          && p.getLocation().getLineNr() > 0 ? " line " + p.getLocation().getLineNr() : "";
      throw new ConfigException(file + where + ": not valid YAML: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return values;
  }

  /**
   * Reads {@code alertmanager: {headers: {Name: value}}}; values are expanded like every other
   * value, so a tenant or proxy secret can come from the environment.
   */
  private static void readAlertmanagerSection(JsonParser parser, JsonToken value, Path file,
      int line, Map<String, String> env, Map<String, String> values, Map<String, Integer> lines)
      throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    if (value != JsonToken.START_OBJECT) {
      throw new ConfigException(file + " line " + line + ": alertmanager: must be a mapping "
          + "with the key headers");
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      int keyLine = parser.currentLocation().getLineNr();
      JsonToken headers = parser.nextToken();
      if (!key.equals("headers")) {
        throw new ConfigException(file + " line " + keyLine + ": alertmanager." + key
            + ": unknown key; known keys are headers");
      }
      if (headers == JsonToken.VALUE_NULL) {
        continue;
      }
      if (headers != JsonToken.START_OBJECT) {
        throw new ConfigException(file + " line " + keyLine + ": alertmanager.headers: must be "
            + "a mapping of header names to values");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        int headerLine = parser.currentLocation().getLineNr();
        JsonToken v = parser.nextToken();
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY
            || v == JsonToken.VALUE_NULL) {
          throw new ConfigException(file + " line " + headerLine + ": alertmanager.headers."
              + name + ": must be a single value");
        }
        values.put(AM_HEADER + name, expand(parser.getText(), env, file, headerLine));
        lines.put(AM_HEADER + name, headerLine);
      }
    }
  }

  /** Expands {@code ${VAR}} in a parsed YAML value from {@code env}; unset variables are an error. */
  static String expand(String text, Map<String, String> env, Path file, int line) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null) {
        throw new ConfigException(file + " line " + line + ": ${" + m.group(1) + "} is not set in the environment");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The reopen window, at most {@value #MAX_REOPEN_DAYS} days so that time arithmetic stays in range. */
  private static Duration reopenWindow(String text) {
    Duration window = Durations.parse(text, "REOPEN_WINDOW");
    if (window.compareTo(Duration.ofDays(MAX_REOPEN_DAYS)) > 0) {
      throw new ConfigException("REOPEN_WINDOW: at most " + MAX_REOPEN_DAYS + "d, got " + text);
    }
    return window;
  }

  private static final int MAX_REOPEN_DAYS = 365;

  /** The HA copy window: at most 1 hour, since a real re-fire inside it is taken for a copy. */
  private static Duration haCopyWindow(String text) {
    Duration window = Durations.parse(text, "HA_COPY_WINDOW");
    if (window.compareTo(Duration.ofHours(1)) > 0) {
      throw new ConfigException("HA_COPY_WINDOW: at most 1h, got " + text);
    }
    return window;
  }

  private static long number(String s, String key, long min, long max) {
    try {
      long n = Long.parseLong(s.trim());
      if (n < min || n > max) {
        throw new ConfigException(key + ": must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key + ": not a whole number: \"" + s + "\"");
    }
  }

  private static boolean bool(String s, String key) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new ConfigException(key + ": must be true or false, got \"" + s + "\"");
    };
  }

  private static String url(String s, String key) {
    try {
      URI uri = URI.create(s.trim());
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new ConfigException(key + ": must be an http:// or https:// URL");
      }
      return s.trim();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ": not a valid URL");
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Returns true when a bot token is set, so Slack delivery runs. */
  public boolean slackEnabled() {
    return slackBotToken != null;
  }

  /**
   * Returns true when Slack can reach Alertdesk's actions: over {@code /slack/events} (a signing
   * secret is set), over Socket Mode (an app token is set), or both.
   */
  public boolean slackInteractive() {
    return slackSigningSecret != null || slackAppToken != null;
  }

  /** Shows every setting with tokens, secrets and passwords masked. */
  @Override
  public String toString() {
    return "Settings[listenHost=" + listenHost + ", port=" + port + ", baseUrl=" + maskUrl(baseUrl)
        + ", slackBotToken=" + mask(slackBotToken) + ", slackSigningSecret=" + mask(slackSigningSecret)
        + ", slackChannel=" + slackChannel + ", slackApiUrl=" + maskUrl(slackApiUrl)
        + ", prometheusUrl=" + maskUrl(prometheusUrl)
        + ", alertmanagerUrl=" + maskUrl(alertmanagerUrl)
        + ", storageDir=" + storageDir + ", database=" + database
        + ", webhookBearerToken=" + mask(webhookBearerToken)
        + ", webhookBasicAuth=" + mask(webhookBasicAuth) + ", configFile=" + configFile
        + ", logJson=" + logJson + ", logLevel=" + logLevel + ", maxPayloadBytes=" + maxPayloadBytes
        + ", reopenWindow=" + reopenWindow + ", haCopyWindow=" + haCopyWindow
        + ", retention=" + retention
        + ", uiBasicAuth=" + mask(uiBasicAuth) + ", apiBearerToken=" + mask(apiBearerToken)
        + ", graphs=" + graphs + ", explorerUrl=" + maskUrl(explorerUrl)
        + ", prometheus=" + prometheusDatasources
        + ", alertmanagerAuth=" + alertmanagerAuth
        + ", remediation=" + (remediation.configured() ? remediation.catalogue().actions().size()
            + " actions, " + (remediation.enabled() ? "enabled" : "disabled") : "none")
        + ", rbac=" + (rbac == null ? "off" : rbac.roles().size() + " roles, "
            + rbac.grants().size() + " grants")
        + ", slackAppToken=" + mask(slackAppToken) + ", sentry=" + sentry
        + ", smtp=" + smtp + "]";
  }

  /** Masks the password of {@code http://user:password@host} URLs. */
  private static @Nullable String maskUrl(@Nullable String url) {
    return url == null ? null : url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@", "$1:****@");
  }

  private static String mask(@Nullable String secret) {
    return secret == null ? "unset" : "****";
  }
}
