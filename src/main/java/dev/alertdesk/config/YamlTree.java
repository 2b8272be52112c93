package dev.alertdesk.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A YAML document read into mappings, sequences and scalars that each remember their line, so
 * that validation errors can name the line of the bad key (Jackson's streaming parser locations).
 */
final class YamlTree {
  private YamlTree() {}

  /**
   * One node.
   *
   * @param value a {@code Map<String, Node>} (in file order), a {@code List<Node>}, a scalar's
   *     text, or null for YAML null
   * @param line the 1-based line the node (or its key) starts on
   */
  record Node(@Nullable Object value, int line) {
    /** Returns the mapping, or throws naming {@code path}. */
    @SuppressWarnings("unchecked")
    Map<String, Node> mapping(Path file, String path) {
      if (!(value instanceof Map)) {
        throw new ConfigException(file + " line " + line + ": " + path + ": must be a mapping");
      }
      return (Map<String, Node>) value;
    }

    /** Returns the sequence, or throws naming {@code path}. */
    @SuppressWarnings("unchecked")
    List<Node> sequence(Path file, String path) {
      if (!(value instanceof List)) {
        throw new ConfigException(file + " line " + line + ": " + path + ": must be a list");
      }
      return (List<Node>) value;
    }

    /** Returns the scalar text, or throws naming {@code path}. */
    String scalar(Path file, String path) {
      if (!(value instanceof String s)) {
        throw new ConfigException(file + " line " + line + ": " + path + ": must be a single value");
      }
      return s;
    }
  }

  /**
   * Parses {@code text}.
   *
   * @return the root node, or null for an empty document
   * @throws ConfigException naming the file and line when the YAML is malformed
   */
  static @Nullable Node parse(Path file, String text) {
    try (JsonParser parser = new YAMLFactory().createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return null;
      }
      return read(parser, first, parser.currentLocation().getLineNr());
    } catch (IOException e) {
      String where = e instanceof JsonProcessingException p && p.getLocation() != null
          && p.getLocation().getLineNr() > 0 ? " line " + p.getLocation().getLineNr() : "";
      throw new ConfigException(file + where + ": not valid YAML: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static Node read(JsonParser parser, JsonToken token, int line) throws IOException {
    if (token == JsonToken.START_OBJECT) {
      Map<String, Node> map = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        int keyLine = parser.currentLocation().getLineNr();
        JsonToken valueToken = parser.nextToken();
        Node child = read(parser, valueToken, keyLine);
        map.put(key, child);
      }
      return new Node(map, line);
    }
    if (token == JsonToken.START_ARRAY) {
      List<Node> list = new ArrayList<>();
      JsonToken t;
      while ((t = parser.nextToken()) != JsonToken.END_ARRAY && t != null) {
        list.add(read(parser, t, parser.currentLocation().getLineNr()));
      }
      return new Node(list, line);
    }
    if (token == JsonToken.VALUE_NULL) {
      return new Node(null, line);
    }
    return new Node(parser.getText(), line);
  }
}
