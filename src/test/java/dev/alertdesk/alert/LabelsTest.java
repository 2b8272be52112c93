package dev.alertdesk.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class LabelsTest {
  /** FNV-1a 64 parameters (offset basis and prime), as published by Fowler, Noll and Vo. */
  private static final BigInteger FNV_OFFSET = new BigInteger("14695981039346656037");
  private static final BigInteger FNV_PRIME = new BigInteger("1099511628211");
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  @Test
  void emptyLabelSetHasTheFnvOffsetBasisAsFingerprint() {
    assertThat(Labels.EMPTY.fingerprint()).isEqualTo("cbf29ce484222325");
    assertThat(new Labels(Map.of()).fingerprint()).isEqualTo("cbf29ce484222325");
  }

  /** Values from prometheus/common's model tests (signature_test.go), given there in decimal. */
  static Stream<Arguments> prometheusKnownValues() {
    return Stream.of(
        Arguments.of(Map.of(), "14695981039346656037"),
        Arguments.of(Map.of("name", "garland, briggs", "fear", "love is not enough"),
            "5799056148416392346"),
        Arguments.of(Map.of("first-label", "first-label-value"), "5146282821936882169"),
        Arguments.of(Map.of("first-label", "first-label-value",
            "second-label", "second-label-value"), "3195800080984914717"),
        Arguments.of(Map.of("first-label", "first-label-value",
            "second-label", "second-label-value",
            "third-label", "third-label-value"), "13843036195897128121"));
  }

  @ParameterizedTest
  @MethodSource("prometheusKnownValues")
  void fingerprintMatchesPrometheusKnownValues(Map<String, String> labels, String decimal) {
    String expected = String.format("%016x", Long.parseUnsignedLong(decimal));

    assertThat(new Labels(labels).fingerprint()).isEqualTo(expected);
  }

  @Test
  void fingerprintMatchesAnIndependentFnv1aOverSortedNamesAndValues() {
    Random random = new Random(20250310L);
    for (int i = 0; i < 500; i++) {
      Map<String, String> labels = new HashMap<>();
      int size = random.nextInt(12);
      for (int l = 0; l < size; l++) {
        labels.put(randomName(random), randomValue(random));
      }

      assertThat(new Labels(labels).fingerprint()).as("labels %s", labels)
          .isEqualTo(referenceFingerprint(labels))
          .hasSize(16)
          .matches("[0-9a-f]{16}");
    }
  }

  @Test
  void fingerprintHashesValuesAsUtf8() {
    Map<String, String> labels = Map.of("alertname", "Störung", "emoji", "\uD83D\uDD25 hot",
        "cjk", "警告");

    assertThat(new Labels(labels).fingerprint()).isEqualTo(referenceFingerprint(labels));
  }

  @Test
  void fingerprintDoesNotDependOnInsertionOrder() {
    List<String> names = new ArrayList<>(List.of("alertname", "instance", "job", "namespace",
        "pod", "severity", "zone", "a", "Z", "_x"));
    Random random = new Random(7);
    String first = null;
    for (int round = 0; round < 20; round++) {
      Collections.shuffle(names, random);
      Map<String, String> inOrder = new LinkedHashMap<>();
      names.forEach(n -> inOrder.put(n, "value-of-" + n));
      Labels labels = new Labels(inOrder);
      if (first == null) {
        first = labels.fingerprint();
      }
      assertThat(labels.fingerprint()).as("insertion order %s", names).isEqualTo(first);
      assertThat(List.copyOf(labels.names())).as("names come back sorted").isSorted();
    }
  }

  @Test
  void separatorByteKeepsNameValueBoundariesApart() {
    Labels one = Labels.of("ab", "c");
    Labels other = Labels.of("a", "bc");

    assertThat(one.fingerprint()).isNotEqualTo(other.fingerprint());
    assertThat(Labels.of("a", "").fingerprint()).isNotEqualTo(Labels.EMPTY.fingerprint());
    assertThat(Labels.of("a", "1", "b", "2").fingerprint())
        .isNotEqualTo(Labels.of("a", "2", "b", "1").fingerprint());
  }

  @Test
  void equalLabelSetsAreEqualWhateverTheMapType() {
    Map<String, String> hash = new HashMap<>(Map.of("b", "2", "a", "1"));
    Map<String, String> tree = new TreeMap<>(Map.of("a", "1", "b", "2"));

    assertThat(new Labels(hash)).isEqualTo(new Labels(tree)).isEqualTo(Labels.of("b", "2", "a", "1"));
    assertThat(new Labels(hash).hashCode()).isEqualTo(new Labels(tree).hashCode());
  }

  @Test
  void labelsAreImmutableAndDetachedFromTheSourceMap() {
    Map<String, String> source = new HashMap<>(Map.of("a", "1"));
    Labels labels = new Labels(source);
    source.put("b", "2");

    assertThat(labels.names()).containsExactly("a");
    assertThatThrownBy(() -> labels.values().put("c", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void ofRejectsAnOddNumberOfStrings() {
    assertThatThrownBy(() -> Labels.of("alertname"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pairs");
  }

  @Test
  void accessorsAndToString() {
    Labels labels = Labels.of("severity", "critical", "alertname", "HighLatency");

    assertThat(labels.get("severity")).isEqualTo("critical");
    assertThat(labels.get("missing")).isNull();
    assertThat(labels.isEmpty()).isFalse();
    assertThat(Labels.EMPTY.isEmpty()).isTrue();
    assertThat(labels).hasToString("alertname=\"HighLatency\", severity=\"critical\"");
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * FNV-1a 64 in arbitrary precision, written apart from the production code: for each label in
   * order of name, hash the UTF-8 bytes of the name, the separator 0xFF, the value, 0xFF.
   */
  private static String referenceFingerprint(Map<String, String> labels) {
    BigInteger hash = FNV_OFFSET;
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      hash = add(hash, e.getKey().getBytes(StandardCharsets.UTF_8));
      hash = add(hash, new byte[] {(byte) 0xFF});
      hash = add(hash, e.getValue().getBytes(StandardCharsets.UTF_8));
      hash = add(hash, new byte[] {(byte) 0xFF});
    }
    String hex = hash.toString(16);
    return "0".repeat(16 - hex.length()) + hex;
  }

  private static BigInteger add(BigInteger hash, byte[] bytes) {
    for (byte b : bytes) {
      hash = hash.xor(BigInteger.valueOf(b & 0xFF)).multiply(FNV_PRIME).mod(TWO_TO_64);
    }
    return hash;
  }

  private static String randomName(Random random) {
    String first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
    String rest = first + "0123456789";
    StringBuilder s = new StringBuilder().append(first.charAt(random.nextInt(first.length())));
    int length = random.nextInt(20);
    for (int i = 0; i < length; i++) {
      s.append(rest.charAt(random.nextInt(rest.length())));
    }
    return s.toString();
  }

  private static String randomValue(Random random) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(40);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 7) {
        s.append((char) (' ' + random.nextInt(95)));
      } else if (kind < 9) {
        s.append((char) (0xA0 + random.nextInt(0x700)));
      } else {
        s.appendCodePoint(0x1F300 + random.nextInt(0x200));
      }
    }
    return s.toString();
  }
}
