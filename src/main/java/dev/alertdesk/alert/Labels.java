package dev.alertdesk.alert;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An immutable label set (or annotation set), sorted by name.
 *
 * @param values label name to value; never null, sorted, unmodifiable
 */
public record Labels(Map<String, String> values) {
  /** The empty label set. */
  public static final Labels EMPTY = new Labels(Map.of());

  /** Copies {@code values} into a sorted, unmodifiable map. */
  public Labels {
    values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
  }

  /**
   * Creates a label set from alternating names and values.
   *
   * @throws IllegalArgumentException when an odd number of strings is given
   */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return new Labels(map);
  }

  /** Returns the value of {@code name}, or null when the label is absent. */
  public @Nullable String get(String name) {
    return values.get(name);
  }

  /** Returns the label names in sorted order. */
  public Set<String> names() {
    return values.keySet();
  }

  /** Returns true when no label is set. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * Computes the Prometheus/Alertmanager fingerprint of this label set: FNV-1a 64 over every
   * name and value in sorted order, each followed by the separator byte 0xFF, printed as 16
   * lower-case hex digits (prometheus/common {@code model.LabelSet.Fingerprint}).
   */
  public String fingerprint() {
    if (values.isEmpty()) {
      return String.format("%016x", FNV_OFFSET);
    }
    long hash = FNV_OFFSET;
    for (Map.Entry<String, String> entry : values.entrySet()) {
      hash = fnvAdd(hash, entry.getKey());
      hash = fnvAddByte(hash, (byte) 0xFF);
      hash = fnvAdd(hash, entry.getValue());
      hash = fnvAddByte(hash, (byte) 0xFF);
    }
    return String.format("%016x", hash);
  }

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private static long fnvAdd(long hash, String s) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      hash = fnvAddByte(hash, b);
    }
    return hash;
  }

  private static long fnvAddByte(long hash, byte b) {
    return (hash ^ (b & 0xFF)) * FNV_PRIME;
  }

  /** Renders the set as {@code a="1", b="2"}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    values.forEach((k, v) -> {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(k).append("=\"").append(v).append('"');
    });
    return out.toString();
  }
}
