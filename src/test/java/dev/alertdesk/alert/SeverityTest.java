package dev.alertdesk.alert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeverityTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(nullValues = "NULL", value = {
      "critical, CRITICAL", "page, CRITICAL", "Critical, CRITICAL", "' PAGE ', CRITICAL",
      "warning, WARNING", "WARNING, WARNING", "info, INFO", "none, INFO",
      "high, UNKNOWN", "'', UNKNOWN", "NULL, UNKNOWN"})
  void eachLabelValueHasOneClass(String label, Severity expected) {
    assertThat(Severity.of(label)).isEqualTo(expected);
  }
}
