package dev.alertdesk.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.alertdesk.config.DatabaseTarget;
import dev.alertdesk.config.Settings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/compose/}: the services, what the Alertdesk containers are given, and how the
 * Alertmanager configurations reach them. The settings of each Alertdesk container, with the
 * compose file's defaults filled in, must load as the service loads them.
 * {@link ComposeConfigIT} checks the Prometheus and Alertmanager files with their own tools.
 */
class ComposeFilesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern DEFAULTED = Pattern.compile("\\$\\{([A-Z_]+):-([^}]*)}");

  private final JsonNode compose = yaml("deploy/compose/docker-compose.yml");
  private final JsonNode services = compose.get("services");

  @Test
  void theDefaultSetupRunsAlertdeskPrometheusAndAlertmanager() {
    assertThat(names(services)).contains("alertdesk", "prometheus", "alertmanager");
    for (String name : List.of("alertdesk", "prometheus", "alertmanager")) {
      assertThat(services.get(name).has("profiles")).as(name).isFalse();
    }
    assertThat(services.get("alertdesk").get("build").get("context").asText()).isEqualTo("../..");
  }

  @Test
  void alertdeskKeepsTheAutometricsSlackAppsPortVariablesAndDataVolume() {
    JsonNode alertdesk = services.get("alertdesk");
    assertThat(texts(alertdesk.get("ports"))).containsExactly("3031:3031");
    assertThat(texts(alertdesk.get("volumes"))).containsExactly("alertdesk-data:/data");
    Map<String, String> env = environment(alertdesk);
    assertThat(env).containsKeys("SLACK_BOT_TOKEN", "SLACK_CHANNEL", "PROMETHEUS_URL", "BASE_URL",
        "STORAGE_DIR", "DB_CONNECTION_STRING");
    assertThat(env.get("DB_CONNECTION_STRING")).isEqualTo("sqlite:///data/alertdesk.db?mode=rwc");
    assertThat(env.get("BASE_URL")).isEmpty();
  }

  @Test
  void everyAlertdeskContainerGetsOnlyVariablesTheServiceReadsAndTheyLoad() {
    for (String name : alertdeskServices()) {
      Map<String, String> env = environment(services.get(name));
      assertThat(Settings.NAMES).as(name).containsAll(env.keySet());
      // What the container sees: the image's ENV, overridden by the compose file's.
      Map<String, String> container = new LinkedHashMap<>(
          DockerfileModel.read(ProjectFiles.resolve("Dockerfile")).runtime().env());
      container.putAll(env);
      Settings settings = Settings.load(container);
      assertThat(settings.listenHost()).isEqualTo("0.0.0.0");
      assertThat(settings.port()).isEqualTo(3031);
      assertThat(settings.storageDir().toString()).isEqualTo("/data");
    }
  }

  @Test
  void alertdeskContainersRunReadOnlyWithoutCapabilities() {
    for (String name : alertdeskServices()) {
      JsonNode service = services.get(name);
      assertThat(service.get("read_only").asBoolean()).as(name).isTrue();
      assertThat(texts(service.get("tmpfs"))).as(name).containsExactly("/tmp");
      assertThat(texts(service.get("cap_drop"))).as(name).containsExactly("ALL");
      assertThat(texts(service.get("volumes"))).as(name).hasSize(1)
          .allSatisfy(v -> assertThat(v).endsWith(":/data"));
    }
  }

  @Test
  void thePostgresProfileRunsTwoReplicasOnOneDatabaseFedByOneAlertmanagerSendingToBoth()
      throws IOException {
    List<String> replicas = new ArrayList<>();
    services.fields().forEachRemaining(e -> {
      if (texts(e.getValue().get("profiles")).contains("postgres") && e.getKey().startsWith("alertdesk-")) {
        replicas.add(e.getKey());
      }
    });
    assertThat(replicas).containsExactly("alertdesk-replica-1", "alertdesk-replica-2");
    JsonNode postgres = services.get("postgres");
    Map<String, String> pgEnv = environment(postgres);
    for (String replica : replicas) {
      JsonNode service = services.get(replica);
      assertThat(service.get("image").asText()).isEqualTo(services.get("alertdesk").get("image").asText());
      DatabaseTarget db = DatabaseTarget.parse(environment(service).get("DB_CONNECTION_STRING"));
      assertThat(db.kind()).isEqualTo(DatabaseTarget.Kind.POSTGRESQL);
      assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://postgres:5432/" + pgEnv.get("POSTGRES_DB"));
      assertThat(db.user()).isEqualTo(pgEnv.get("POSTGRES_USER"));
      assertThat(db.password()).isEqualTo(pgEnv.get("POSTGRES_PASSWORD"));
      assertThat(service.get("depends_on").get("postgres").get("condition").asText())
          .isEqualTo("service_healthy");
    }
    JsonNode ha = yaml("deploy/compose/alertmanager/alertmanager-ha.yml");
    JsonNode webhooks = ha.get("receivers").get(0).get("webhook_configs");
    assertThat(urls(webhooks)).containsExactly("http://alertdesk-replica-1:3031/api/alerts",
        "http://alertdesk-replica-2:3031/api/alerts");
    assertThat(texts(services.get("alertmanager-ha").get("profiles"))).containsExactly("postgres");
  }

  @Test
  void alertmanagerSendsToAlertdeskWithItsWebhookToken() {
    JsonNode am = yaml("deploy/compose/alertmanager/alertmanager.yml");
    assertThat(am.get("route").get("receiver").asText()).isEqualTo("alertdesk");
    JsonNode webhooks = am.get("receivers").get(0).get("webhook_configs");
    assertThat(urls(webhooks)).containsExactly("http://alertdesk:3031/api/alerts");
    for (String file : List.of("alertmanager.yml", "alertmanager-ha.yml")) {
      JsonNode receiver = yaml("deploy/compose/alertmanager/" + file).get("receivers").get(0);
      for (JsonNode webhook : receiver.get("webhook_configs")) {
        assertThat(webhook.get("send_resolved").asBoolean()).isTrue();
        String url = webhook.get("url").asText();
        String service = url.substring("http://".length(), url.indexOf(':', "http://".length()));
        assertThat(webhook.get("http_config").get("authorization").get("credentials").asText())
            .as(file + " -> " + service)
            .isEqualTo(environment(services.get(service)).get("WEBHOOK_BEARER_TOKEN"));
      }
    }
  }

  @Test
  void theMountedConfigurationDirectoriesExist() {
    assertThat(ProjectFiles.resolve("deploy/compose/prometheus/prometheus.yml")).exists();
    assertThat(ProjectFiles.resolve("deploy/compose/prometheus/demo-rules.yml")).exists();
    assertThat(texts(services.get("alertmanager-ha").get("command")))
        .contains("--config.file=/etc/alertmanager/alertmanager-ha.yml");
    assertThat(texts(services.get("alertmanager").get("volumes")))
        .contains("./alertmanager:/etc/alertmanager:ro");
  }

  /** The services that run the Alertdesk image. */
  private List<String> alertdeskServices() {
    String image = services.get("alertdesk").get("image").asText();
    List<String> names = new ArrayList<>();
    services.fields().forEachRemaining(e -> {
      if (e.getValue().has("image") && e.getValue().get("image").asText().equals(image)) {
        names.add(e.getKey());
      }
    });
    assertThat(names).hasSize(3);
    return names;
  }

  /** A service's {@code environment} list, with {@code ${VAR:-default}} given its default. */
  private static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String entry : texts(service.get("environment"))) {
      int eq = entry.indexOf('=');
      Matcher m = DEFAULTED.matcher(entry.substring(eq + 1));
      env.put(entry.substring(0, eq), m.replaceAll(r -> Matcher.quoteReplacement(r.group(2))));
    }
    return env;
  }

  private static List<String> urls(JsonNode webhooks) {
    List<String> urls = new ArrayList<>();
    webhooks.forEach(w -> urls.add(w.get("url").asText()));
    return urls;
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    if (array != null) {
      array.forEach(n -> texts.add(n.asText()));
    }
    return texts;
  }

  private static JsonNode yaml(String path) {
    try {
      return YAML.readTree(ProjectFiles.read(path));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
