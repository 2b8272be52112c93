package dev.alertdesk.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alertdesk.alert.Labels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds Alertmanager webhook bodies (payload version "4") as Alertmanager sends them: group
 * status derived from the alerts, common labels computed, {@code endsAt} of firing alerts set to
 * {@code 0001-01-01T00:00:00Z}, fingerprints computed from the labels.
 *
 * <pre>{@code
 * byte[] body = AlertmanagerPayload.group("team-a", "HighLatency")
 *     .firing("api-1", Instant.parse("2026-03-01T09:58:00Z"))
 *     .bytes();
 * }</pre>
 */
public final class AlertmanagerPayload {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final String receiver;
  private final String alertname;
  private String groupKey;
  private final Map<String, String> groupLabels = new LinkedHashMap<>();
  private final List<ObjectNode> alerts = new ArrayList<>();
  private final List<Map<String, String>> alertLabels = new ArrayList<>();
  private int truncatedAlerts;
  private String externalUrl = "http://alertmanager.example:9093";
  private String generatorUrl = "http://prometheus.example:9090/graph?g0.expr=up";
  private final Map<String, String> extraAnnotations = new LinkedHashMap<>();

  private AlertmanagerPayload(String receiver, String alertname) {
    this.receiver = receiver;
    this.alertname = alertname;
    this.groupKey = "{}/{severity=\"critical\"}:{alertname=\"" + alertname + "\"}";
    this.groupLabels.put("alertname", alertname);
  }

  /**
   * Starts a notification of the group that a route grouping by {@code alertname} makes.
   *
   * @param receiver the Alertmanager receiver
   * @param alertname the group's alertname; it is the group label, and the group key names it
   */
  public static AlertmanagerPayload group(String receiver, String alertname) {
    return new AlertmanagerPayload(receiver, alertname);
  }

  /** Overrides the group key. */
  public AlertmanagerPayload groupKey(String key) {
    this.groupKey = key;
    return this;
  }

  /** Adds a group label. */
  public AlertmanagerPayload groupLabel(String name, String value) {
    groupLabels.put(name, value);
    return this;
  }

  /** Sets {@code externalURL}. */
  public AlertmanagerPayload externalUrl(String url) {
    this.externalUrl = url;
    return this;
  }

  /**
   * Sets the {@code generatorURL} of the alerts added after this call; default
   * {@code http://prometheus.example:9090/graph?g0.expr=up}.
   */
  public AlertmanagerPayload generatorUrl(String url) {
    this.generatorUrl = url;
    return this;
  }

  /** Adds an annotation to the alerts added after this call. */
  public AlertmanagerPayload annotation(String name, String value) {
    extraAnnotations.put(name, value);
    return this;
  }

  /** Sets {@code truncatedAlerts}. */
  public AlertmanagerPayload truncated(int count) {
    this.truncatedAlerts = count;
    return this;
  }

  /** Adds a firing alert with labels alertname, severity=critical and {@code instance}. */
  public AlertmanagerPayload firing(String instance, Instant startsAt) {
    return alert("firing", labelsFor(instance), startsAt, null);
  }

  /** Adds a resolved alert with labels alertname, severity=critical and {@code instance}. */
  public AlertmanagerPayload resolved(String instance, Instant startsAt, Instant endsAt) {
    return alert("resolved", labelsFor(instance), startsAt, endsAt);
  }

  /** Returns the fingerprint Alertmanager gives the alert of {@code instance}. */
  public String fingerprint(String instance) {
    return new Labels(labelsFor(instance)).fingerprint();
  }

  /**
   * Adds an alert.
   *
   * @param status {@code firing} or {@code resolved}
   * @param labels its labels
   * @param startsAt when it started
   * @param endsAt when it ended, or null for a firing alert
   */
  public AlertmanagerPayload alert(String status, Map<String, String> labels, Instant startsAt,
      Instant endsAt) {
    ObjectNode a = JSON.createObjectNode();
    a.put("status", status);
    ObjectNode l = a.putObject("labels");
    labels.forEach(l::put);
    ObjectNode annotations = a.putObject("annotations");
    annotations.put("summary", "Latency of " + labels.getOrDefault("instance", "?") + " is high");
    extraAnnotations.forEach(annotations::put);
    a.put("startsAt", startsAt.toString());
    a.put("endsAt", endsAt == null ? ZERO_TIME : endsAt.toString());
    a.put("generatorURL", generatorUrl);
    a.put("fingerprint", new Labels(labels).fingerprint());
    alerts.add(a);
    alertLabels.add(Map.copyOf(labels));
    return this;
  }

  /** Returns the body as JSON text. */
  public String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "4");
    root.put("groupKey", groupKey);
    root.put("truncatedAlerts", truncatedAlerts);
    boolean firing = alerts.stream().anyMatch(a -> a.get("status").asText().equals("firing"));
    root.put("status", firing ? "firing" : "resolved");
    root.put("receiver", receiver);
    ObjectNode gl = root.putObject("groupLabels");
    groupLabels.forEach(gl::put);
    ObjectNode cl = root.putObject("commonLabels");
    commonLabels().forEach(cl::put);
    root.putObject("commonAnnotations");
    root.put("externalURL", externalUrl);
    ArrayNode array = root.putArray("alerts");
    alerts.forEach(array::add);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns the body as UTF-8 bytes. */
  public byte[] bytes() {
    return json().getBytes(StandardCharsets.UTF_8);
  }

  private Map<String, String> labelsFor(String instance) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", alertname);
    labels.put("severity", "critical");
    labels.put("instance", instance);
    return labels;
  }

  private Map<String, String> commonLabels() {
    if (alertLabels.isEmpty()) {
      return Map.of();
    }
    Map<String, String> common = new LinkedHashMap<>(alertLabels.get(0));
    for (Map<String, String> labels : alertLabels) {
      common.entrySet().removeIf(e -> !e.getValue().equals(labels.get(e.getKey())));
    }
    return common;
  }
}
