package dev.alertdesk.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alertdesk.alert.Labels;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The target templates: label placeholders only, and Kubernetes names only, whatever the labels. */
final class TargetTemplateTest {
  private static final TargetTemplate NAMESPACE =
      TargetTemplate.parse("{{ .Labels.namespace }}", TargetTemplate.Kind.NAMESPACE);
  private static final TargetTemplate NAME =
      TargetTemplate.parse("{{.Labels.app}}-api", TargetTemplate.Kind.NAME);

  static Stream<Arguments> labels() {
    return Stream.of(
        // namespace label value, expected namespace or null when refused, refusal contains
        Arguments.of("checkout", "checkout", null),
        Arguments.of("team-a", "team-a", null),
        Arguments.of(null, null, "no label namespace"),
        Arguments.of("", null, "no label namespace"),
        Arguments.of("../kube-system", null, "not a valid namespace"),
        Arguments.of("*", null, "not a valid namespace"),
        Arguments.of("a/b", null, "not a valid namespace"),
        Arguments.of("Checkout", null, "not a valid namespace"),
        Arguments.of("check out", null, "not a valid namespace"),
        Arguments.of("-checkout", null, "not a valid namespace"),
        Arguments.of("checkout\n", null, "not a valid namespace"),
        Arguments.of("{{ .Labels.other }}", null, "not a valid namespace"),
        Arguments.of("a".repeat(64), null, "not a valid namespace"),
        Arguments.of("a".repeat(63), "a".repeat(63), null));
  }

  @ParameterizedTest
  @MethodSource("labels")
  void namespacesAreDnsLabelsAndAnythingElseIsRefused(String value, String expected,
      String refusal) {
    Labels labels = value == null ? Labels.of("other", "x") : Labels.of("namespace", value,
        "other", "kube-system");
    TargetTemplate.Rendered r = NAMESPACE.render(labels);
    assertThat(r.value()).isEqualTo(expected);
    if (refusal == null) {
      assertThat(r.refusal()).isNull();
    } else {
      assertThat(r.refusal()).contains(refusal);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../etc", "payments/../x", "*", "a b", "UPPER", "x.", ".x", "a..b",
      "name;rm -rf"})
  void maliciousNamesAreRefused(String app) {
    assertThat(NAME.render(Labels.of("app", app)).ok()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"payments", "payments.v2", "a1"})
  void namesMayBeDnsSubdomainsWithLiteralText(String app) {
    assertThat(NAME.render(Labels.of("app", app)).value()).isEqualTo(app + "-api");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{{ .Annotations.x }}", "{{ .Labels.x | upper }}", "{{ printf \"x\" }}",
      "{{ .Labels.x }", "x}}", "", "   ", "Not_A_Name"})
  void onlyLabelPlaceholdersAndValidLiteralsParse(String source) {
    assertThatThrownBy(() -> TargetTemplate.parse(source, TargetTemplate.Kind.NAME))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void aLiteralTemplateNeedsNoLabels() {
    TargetTemplate t = TargetTemplate.parse("checkout", TargetTemplate.Kind.NAMESPACE);
    assertThat(t.render(Labels.EMPTY).value()).isEqualTo("checkout");
    assertThat(t.labels()).isEmpty();
    assertThat(NAME.labels()).containsExactly("app");
  }
}
