package dev.alertdesk.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Paths of the repository's own files, for tests of the deployment files. */
final class ProjectFiles {
  private ProjectFiles() {}

  /** Returns the repository root (Maven's {@code basedir}, else the working directory). */
  static Path root() {
    String basedir = System.getProperty("basedir");
    return (basedir == null ? Path.of("") : Path.of(basedir)).toAbsolutePath();
  }

  /** Returns a file or directory under the repository root. */
  static Path resolve(String relative) {
    return root().resolve(relative);
  }

  /** Reads a file under the repository root as UTF-8. */
  static String read(String relative) {
    try {
      return Files.readString(resolve(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the project version from {@code pom.xml} (the first {@code <version>} after the artifactId). */
  static String projectVersion() {
    Matcher m = Pattern.compile("<artifactId>alertdesk</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(read("pom.xml"));
    if (!m.find()) {
      throw new AssertionError("no project version in pom.xml");
    }
    return m.group(1);
  }
}
