package dev.alertdesk.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.alertdesk.alert.Alert;
import dev.alertdesk.alert.AlertStatus;
import dev.alertdesk.alert.Labels;
import dev.alertdesk.alert.Notification;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses and validates Alertmanager webhook bodies (payload version "4"). Unknown fields, such
 * as {@code notification_reason} and {@code routeLabels} from newer Alertmanager versions, are
 * ignored. Thread-safe.
 *
 * <p>Required: {@code version} ("4"), {@code receiver}, {@code status}, {@code groupKey},
 * {@code alerts}, and per alert {@code status}, {@code labels} and {@code startsAt}. A missing
 * {@code fingerprint} (Alertmanager before 0.19) is computed from the labels.
 *
 * <p>Every string is normalised as the store keeps it: U+0000 (NUL, valid in JSON and passed on
 * by Alertmanager, rejected by PostgreSQL in text) becomes U+FFFD. So a notification compares
 * equal to what was stored from its previous copy, and a resend is a duplicate, not a change.
 */
public final class WebhookPayloadParser {
  /** Alertmanager writes this for "no end time" on firing alerts. */
  private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private final ObjectMapper mapper;

  /**
   * Creates a parser; nesting is limited to 64 levels to bound hostile input, and anything after
   * the top-level object is malformed JSON.
   */
  public WebhookPayloadParser() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
        .build();
    this.mapper = JsonMapper.builder(factory)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /**
   * Parses one webhook body.
   *
   * @param body the raw request body, UTF-8 JSON
   * @return the validated payload
   * @throws InvalidPayloadException when the JSON is malformed, the version is not "4", or a
   *     required field is missing or of the wrong type
   */
  public Notification parse(byte[] body) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidPayloadException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidPayloadException("unreadable body: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || !root.isObject()) {
      throw new InvalidPayloadException("body must be a JSON object");
    }
    String version = requiredText(root, "version", "version");
    if (!"4".equals(version)) {
      throw new InvalidPayloadException(
          "unsupported payload version \"" + version + "\": only \"4\" is understood");
    }
    String receiver = requiredText(root, "receiver", "receiver");
    AlertStatus status = status(requiredText(root, "status", "status"), "status");
    String groupKey = requiredText(root, "groupKey", "groupKey");
    int truncated = 0;
    JsonNode truncatedNode = root.get("truncatedAlerts");
    if (truncatedNode != null && !truncatedNode.isNull()) {
      if (!truncatedNode.canConvertToInt() || !truncatedNode.isIntegralNumber()
          || truncatedNode.intValue() < 0) {
        throw new InvalidPayloadException("truncatedAlerts must be a non-negative integer");
      }
      truncated = truncatedNode.intValue();
    }
    JsonNode alertsNode = root.get("alerts");
    if (alertsNode == null || alertsNode.isNull()) {
      throw new InvalidPayloadException("missing required field: alerts");
    }
    if (!alertsNode.isArray()) {
      throw new InvalidPayloadException("alerts must be an array");
    }
    List<Alert> alerts = new ArrayList<>(alertsNode.size());
    // Alerts of one group mostly share startsAt/endsAt: parse each distinct time once.
    Map<String, Instant> times = new HashMap<>();
    for (int i = 0; i < alertsNode.size(); i++) {
      alerts.add(alert(alertsNode.get(i), "alerts[" + i + "]", times));
    }
    return new Notification(
        receiver,
        status,
        groupKey,
        labels(root.get("groupLabels"), "groupLabels"),
        labels(root.get("commonLabels"), "commonLabels"),
        labels(root.get("commonAnnotations"), "commonAnnotations"),
        optionalText(root, "externalURL", "externalURL"),
        truncated,
        alerts);
  }

  private static Alert alert(JsonNode node, String path, Map<String, Instant> times) {
    if (node == null || !node.isObject()) {
      throw new InvalidPayloadException(path + " must be an object");
    }
    AlertStatus status = status(requiredText(node, "status", path + ".status"), path + ".status");
    JsonNode labelsNode = node.get("labels");
    if (labelsNode == null || labelsNode.isNull()) {
      throw new InvalidPayloadException("missing required field: " + path + ".labels");
    }
    Labels labels = labels(labelsNode, path + ".labels");
    Labels annotations = labels(node.get("annotations"), path + ".annotations");
    Instant startsAt = time(requiredText(node, "startsAt", path + ".startsAt"), path + ".startsAt", times);
    String endsText = optionalText(node, "endsAt", path + ".endsAt");
    Instant endsAt = endsText == null ? null : time(endsText, path + ".endsAt", times);
    if (endsAt != null && !endsAt.isAfter(ZERO_TIME)) {
      endsAt = null;
    }
    String fingerprint = optionalText(node, "fingerprint", path + ".fingerprint");
    if (fingerprint == null || fingerprint.isBlank()) {
      fingerprint = labels.fingerprint();
    }
    return new Alert(
        fingerprint,
        status,
        labels,
        annotations,
        startsAt,
        endsAt,
        emptyToNull(optionalText(node, "generatorURL", path + ".generatorURL")));
  }

  private static AlertStatus status(String wire, String path) {
    try {
      return AlertStatus.fromWire(wire);
    } catch (IllegalArgumentException e) {
      throw new InvalidPayloadException(path + ": " + e.getMessage());
    }
  }

  private static Instant time(String text, String path, Map<String, Instant> times) {
    Instant cached = times.get(text);
    if (cached != null) {
      return cached;
    }
    try {
      Instant parsed = java.time.OffsetDateTime.parse(text).toInstant();
      if (!Alert.isStorableTime(parsed)) {
        throw new InvalidPayloadException(path + " is out of range (years 0001 to 9999): \""
            + abbreviate(text) + "\"");
      }
      times.put(text, parsed);
      return parsed;
    } catch (DateTimeParseException e) {
      throw new InvalidPayloadException(path + " is not an RFC 3339 time: \"" + abbreviate(text) + "\"");
    }
  }

  private static Labels labels(@Nullable JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return Labels.EMPTY;
    }
    if (!node.isObject()) {
      throw new InvalidPayloadException(path + " must be an object of strings");
    }
    Map<String, String> values = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      if (!value.isTextual()) {
        throw new InvalidPayloadException(
            path + "." + abbreviate(field.getKey()) + " must be a string");
      }
      values.put(storable(field.getKey()), storable(value.textValue()));
    }
    return new Labels(values);
  }

  private static String requiredText(JsonNode node, String field, String path) {
    String value = optionalText(node, field, path);
    if (value == null) {
      throw new InvalidPayloadException("missing required field: " + path);
    }
    return value;
  }

  private static @Nullable String optionalText(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidPayloadException(path + " must be a string");
    }
    return storable(value.textValue());
  }

  /** Replaces U+0000 with U+FFFD, as every text column stores it. */
  static String storable(String s) {
    return s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
