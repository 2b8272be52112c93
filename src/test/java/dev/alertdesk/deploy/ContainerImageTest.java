package dev.alertdesk.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alertdesk.config.Settings;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code Dockerfile} and {@code .dockerignore} as written: what the image runs, as whom,
 * with which settings. {@link ContainerImageIT} then runs that command.
 */
class ContainerImageTest {
  /** Variables the image sets for its entrypoint script rather than for the service. */
  static final List<String> ENTRYPOINT_VARIABLES = List.of("JAVA_OPTS");

  private final DockerfileModel dockerfile = DockerfileModel.read(ProjectFiles.resolve("Dockerfile"));
  private final DockerfileModel.Stage runtime = dockerfile.runtime();

  @Test
  void theImageIsBuiltWithMavenAndRunsOnAJre17() {
    assertThat(dockerfile.stages()).hasSize(2);
    assertThat(dockerfile.stages().get(0).from()).startsWith("maven:").contains("17").endsWith(" AS build");
    assertThat(dockerfile.stages().get(0).last("RUN")).contains("mvn").contains("package");
    assertThat(runtime.from()).contains(":17-jre");
  }

  @Test
  void theImageRunsAsANonRootUserWithNumericIds() {
    String user = runtime.last("USER");
    assertThat(user).matches("\\d+:\\d+");
    assertThat(Integer.parseInt(user.split(":")[0])).isPositive();
    assertThat(Integer.parseInt(user.split(":")[1])).isPositive();
  }

  @Test
  void theServiceListensOnAllInterfacesOnTheAutometricsPortAndStoresUnderData() {
    Map<String, String> env = runtime.env();
    assertThat(env).containsEntry("LISTEN_HOST", "0.0.0.0").containsEntry("PORT", "3031")
        .containsEntry("STORAGE_DIR", "/data");
    assertThat(runtime.execForm("VOLUME")).containsExactly("/data");
    assertThat(runtime.last("EXPOSE")).isEqualTo("3031");
  }

  @Test
  void everyVariableTheImageSetsIsOneTheServiceOrItsEntrypointReads() {
    assertThat(runtime.env().keySet()).allSatisfy(name ->
        assertThat(Settings.NAMES.contains(name) || ENTRYPOINT_VARIABLES.contains(name))
            .as("%s is read by the service (Settings.NAMES) or the entrypoint", name).isTrue());
  }

  @Test
  void theHeapIsAShareOfTheContainerMemoryLimitNotAFixedSize() {
    List<String> options = Arrays.asList(runtime.env().get("JAVA_OPTS").split(" "));
    assertThat(options).anyMatch(o -> o.startsWith("-XX:MaxRAMPercentage="))
        .noneMatch(o -> o.startsWith("-Xmx") || o.startsWith("-Xms") || o.startsWith("-XX:MaxRAM="));
  }

  @Test
  void theHealthcheckAsksTheServicesLivenessEndpoint() {
    assertThat(runtime.last("HEALTHCHECK")).contains("CMD ")
        .contains("http://127.0.0.1:${PORT}/health");
  }

  @Test
  void theImageCarriesOciLabels() {
    assertThat(runtime.labels()).containsKeys("org.opencontainers.image.title",
        "org.opencontainers.image.description", "org.opencontainers.image.version",
        "org.opencontainers.image.revision", "org.opencontainers.image.created");
    assertThat(runtime.all("ARG")).contains("VERSION=" + ProjectFiles.projectVersion());
  }

  @Test
  void theEntrypointIsTheLauncherScriptNextToTheJarAndServeIsTheDefaultCommand() {
    assertThat(runtime.execForm("ENTRYPOINT")).containsExactly("/opt/alertdesk/bin/alertdesk");
    assertThat(runtime.execForm("CMD")).containsExactly("serve");
    assertThat(runtime.all("COPY")).contains(
        "--from=build /src/target/alertdesk.jar /opt/alertdesk/alertdesk.jar",
        "deploy/docker/alertdesk /opt/alertdesk/bin/alertdesk");
    assertThat(Files.isExecutable(ProjectFiles.resolve("deploy/docker/alertdesk"))).isTrue();
    assertThat(dockerfile.stages().get(0).last("WORKDIR")).isEqualTo("/src");
  }

  @Test
  void theBuildContextHoldsWhatTheBuildCopiesAndNothingBuiltOrStored() {
    List<String> ignore = ProjectFiles.read(".dockerignore").lines().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    List<String> copied = new ArrayList<>();
    for (DockerfileModel.Stage stage : dockerfile.stages()) {
      for (String copy : stage.all("COPY")) {
        if (!copy.startsWith("--from=")) {
          List<String> parts = List.of(copy.split("\\s+"));
          copied.addAll(parts.subList(0, parts.size() - 1));
        }
      }
    }
    assertThat(copied).contains("pom.xml", "src", "deploy/docker/alertdesk");
    assertThat(copied).allSatisfy(p -> assertThat(ignored(ignore, p)).as("%s ignored", p).isFalse());
    assertThat(ignored(ignore, "src/main/java/dev/alertdesk/app/Main.java")).isFalse();
    assertThat(List.of("target/alertdesk.jar", "data/alertdesk.db", ".git/HEAD",
        "src/test/java/dev/alertdesk/app/CliIT.java", "deploy/helm/alertdesk/values.yaml"))
        .allSatisfy(p -> assertThat(ignored(ignore, p)).as("%s ignored", p).isTrue());
  }

  /**
   * Whether Docker leaves {@code path} out of the build context: the last pattern that matches
   * the path or one of its parent directories decides, {@code !} re-includes.
   */
  static boolean ignored(List<String> patterns, String path) {
    boolean ignored = false;
    for (String raw : patterns) {
      boolean include = raw.startsWith("!");
      String pattern = (include ? raw.substring(1) : raw).replaceAll("/+$", "");
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      Path p = Path.of(path);
      for (int n = 1; n <= p.getNameCount(); n++) {
        if (matcher.matches(p.subpath(0, n))) {
          ignored = !include;
          break;
        }
      }
    }
    return ignored;
  }
}
