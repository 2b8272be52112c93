package dev.alertdesk.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.alertdesk.alert.Labels;
import java.util.Map;

/** JSON columns of the store: label sets and event details. */
final class StoreJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {};
  private static final ObjectWriter LABELS_WRITER = MAPPER.writerFor(STRING_MAP);

  private StoreJson() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  static String labels(Labels labels) {
    try {
      return LABELS_WRITER.writeValueAsString(labels.values());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise labels", e);
    }
  }

  static Labels labels(String json) {
    try {
      return new Labels(MAPPER.readValue(json, STRING_MAP));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt label JSON in the database", e);
    }
  }

  static Map<String, Object> details(String json) {
    try {
      return MAPPER.readValue(json, OBJECT_MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt event JSON in the database", e);
    }
  }
}
