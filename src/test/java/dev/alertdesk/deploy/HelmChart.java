package dev.alertdesk.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The chart in {@code deploy/helm/alertdesk}, rendered by the real Helm library (helm-java,
 * bundled natively) and read back with fabric8's Kubernetes model classes.
 */
final class HelmChart {
  /** The chart directory. */
  static final Path CHART = ProjectFiles.resolve("deploy/helm/alertdesk");
  /** The high-availability values file the README uses. */
  static final Path HA_VALUES = CHART.resolve("values-ha.yaml");
  /** Release name and namespace of {@code deploy/kubernetes/alertdesk.yaml}. */
  static final String RELEASE = "alertdesk";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private HelmChart() {}

  /**
   * Runs {@code helm template alertdesk CHART --namespace alertdesk [-f values]}.
   *
   * @param values a values file, or null for the defaults
   * @return the rendered manifest, several YAML documents
   */
  static String template(@Nullable Path values) {
    var template = new Helm(CHART).template().withName(RELEASE).withNamespace(RELEASE);
    if (values != null) {
      template = template.withValuesFile(values);
    }
    return template.call();
  }

  /** Parses a rendered manifest into fabric8 objects (unknown kinds as generic resources). */
  static List<HasMetadata> parse(String manifest) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : manifest.split("(?m)^---\\s*$")) {
      boolean empty = document.lines().map(String::strip)
          .allMatch(l -> l.isEmpty() || l.startsWith("#"));
      if (!empty) {
        objects.add(Serialization.unmarshal(document, HasMetadata.class));
      }
    }
    return objects;
  }

  /** Returns the one object of a type. */
  static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> found = all(objects, type);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  /** Returns every object of a type. */
  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Returns the one container of the Deployment. */
  static Container container(List<HasMetadata> objects) {
    List<Container> containers = only(objects, Deployment.class).getSpec().getTemplate().getSpec()
        .getContainers();
    if (containers.size() != 1) {
      throw new AssertionError("expected one container, found " + containers.size());
    }
    return containers.get(0);
  }

  /**
   * Copies the chart into {@code dir} with {@code values} merged over its {@code values.yaml},
   * for {@code helm lint}, which takes no values file.
   *
   * @return the copy's directory
   */
  static Path withValues(Path dir, Path values) {
    try {
      Path copy = dir.resolve("alertdesk");
      try (Stream<Path> files = Files.walk(CHART)) {
        for (Path p : files.toList()) {
          Path target = copy.resolve(CHART.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target);
          }
        }
      }
      JsonNode merged = merge(YAML.readTree(CHART.resolve("values.yaml").toFile()),
          YAML.readTree(values.toFile()));
      Files.writeString(copy.resolve("values.yaml"), YAML.writeValueAsString(merged),
          StandardCharsets.UTF_8);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a values file. */
  static JsonNode values(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Helm's merge of values: maps merge key by key, anything else is replaced. */
  private static JsonNode merge(JsonNode base, JsonNode over) {
    if (!(base instanceof ObjectNode b) || !over.isObject()) {
      return over;
    }
    ObjectNode result = b.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = result.get(e.getKey());
      result.set(e.getKey(), existing == null ? e.getValue() : merge(existing, e.getValue()));
    }
    return result;
  }
}
