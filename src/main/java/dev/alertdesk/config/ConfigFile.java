package dev.alertdesk.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code CONFIG_FILE}, read once: its path and text. {@link Settings#load} reads it and hands the
 * text (and its one parsed {@link YamlTree}) to each section's reader.
 *
 * @param path the file, as named by {@code CONFIG_FILE}
 * @param text its whole content, UTF-8
 */
record ConfigFile(Path path, String text) {
  /**
   * The top-level sections that code reads, besides the settings (the environment variable
   * names in lower case). Any other top-level key is an error naming the key and the file, so a
   * section no code reads never looks accepted. A feature that reads a new section adds one line
   * here (and its reader in {@link Settings#load}).
   */
  static final List<String> SECTIONS = List.of(
      "routes", // NoiseConfig
      "noise", // NoiseConfig
      "reminders", // NoiseConfig
      "prometheus", // PrometheusConfig
      "alertmanager", // Settings: alertmanager.headers
      "rbac", // RbacConfig
      "remediation", // RemediationConfigReader
      "sentry", // SentryConfig
      "smtp"); // SmtpConfig

  /**
   * Reads the file.
   *
   * @param path the file
   * @return its content
   * @throws ConfigException when it does not exist or cannot be read, naming {@code CONFIG_FILE}
   */
  static ConfigFile read(Path path) {
    try {
      return new ConfigFile(path, Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new ConfigException("CONFIG_FILE: " + path + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("CONFIG_FILE: cannot read " + path + ": " + e.getMessage());
    }
  }
}
