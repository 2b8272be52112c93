package dev.alertdesk.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UiExtensionTest {
  @Test
  void durationsShowTheTwoLargestUnits() {
    assertThat(UiExtension.human(0)).isEqualTo("0s");
    assertThat(UiExtension.human(45)).isEqualTo("45s");
    assertThat(UiExtension.human(200)).isEqualTo("3m 20s");
    assertThat(UiExtension.human(7500)).isEqualTo("2h 5m");
    assertThat(UiExtension.human(3 * 86_400 + 4 * 3600 + 59)).isEqualTo("3d 4h");
    assertThat(UiExtension.human(-5)).isEqualTo("0s");
  }
}
