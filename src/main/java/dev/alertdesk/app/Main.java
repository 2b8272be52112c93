package dev.alertdesk.app;

import dev.alertdesk.config.ConfigException;
import dev.alertdesk.config.Durations;
import dev.alertdesk.config.LogSetup;
import dev.alertdesk.config.Settings;
import dev.alertdesk.noise.NoiseRules;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The {@code alertdesk} command line: {@code serve} (the default), {@code check-config FILE},
 * {@code replay FILE…}, {@code audit verify}, {@code freeze} / {@code unfreeze} (the remediation
 * kill switch) and {@code version}. Exit codes: 0 success, 1 invalid configuration or
 * input, 2 usage error.
 */
@Command(name = "alertdesk", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "Turns Prometheus Alertmanager notifications into incident threads in Slack.",
    subcommands = {Main.Serve.class, Main.CheckConfig.class, ReplayCommand.class, AuditCommand.class,
        FreezeCommand.Freeze.class, FreezeCommand.Unfreeze.class, Main.PrintVersion.class})
public final class Main implements Callable<Integer> {

  /**
   * Runs the command line and exits with its code.
   *
   * @param args command-line arguments; none means {@code serve}
   */
  public static void main(String[] args) {
    LogSetup.configure(System.getenv());
    int code = commandLine().execute(args);
    if (code != 0 || args.length == 0 || !"serve".equals(args[0])) {
      System.exit(code);
    }
  }

  /** Builds the picocli command line (for tests). */
  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  @Override
  public Integer call() {
    return new Serve().call();
  }

  /** {@code serve}: runs the service until SIGTERM/SIGINT. */
  @Command(name = "serve", description = "Run the service (the default command).")
  static final class Serve implements Callable<Integer> {
    @Override
    public Integer call() {
      Settings settings;
      NoiseRules noise;
      try {
        settings = Settings.load(System.getenv());
        noise = settings.noiseRules();
      } catch (ConfigException e) {
        System.err.println("alertdesk: invalid configuration: " + e.getMessage());
        return 1;
      }
      Application app = Application.start(settings, noise, Clock.systemUTC());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        app.close();
        stopped.countDown();
      }, "alertdesk-shutdown"));
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
  }

  /** {@code check-config FILE}: validates a configuration file with the current environment. */
  @Command(name = "check-config", description = "Validate a CONFIG_FILE (with the current "
      + "environment) and print the effective settings, secrets masked.")
  static final class CheckConfig implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
        description = "the YAML file; defaults to $CONFIG_FILE")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Map<String, String> env = new HashMap<>(System.getenv());
      if (file != null) {
        env.put("CONFIG_FILE", file.toString());
      }
      // Every problem of every section, in file order, as amtool check-config reports them.
      Settings settings;
      try {
        settings = Settings.load(env);
      } catch (ConfigException e) {
        List<String> ordered = e.problems();
        err.println("invalid configuration: " + (ordered.size() == 1 ? ordered.get(0)
            : ordered.size() + " problems:\n  " + String.join("\n  ", ordered)));
        return 1;
      }
      NoiseRules noise = settings.noiseRules();
      out.println("configuration OK: " + settings);
      out.println("routes: " + noise.routes().size() + ", notify_after: "
          + Durations.humanize(noise.minFiring()) + ", flapping: "
          + (noise.flappingEnabled() ? "on" : "off") + ", storm: "
          + (noise.stormEnabled() ? "on" : "off") + ", correlate_by: " + noise.correlateBy()
          + ", reminders: " + (noise.remindersEnabled() ? "on" : "off"));
      long mailing = noise.routes().stream().filter(r -> r.email() != null).count();
      out.println("e-mail: " + (settings.smtp() == null ? "off" : settings.smtp().host() + ":"
          + settings.smtp().port() + " (starttls: " + settings.smtp().security().wire()
          + "), routes that mail: " + mailing));
      out.println(settings.rbac() == null
          ? "rbac: off (no rbac section: acknowledge, silence and snooze are open to the "
              + "channel; remediation is off)"
          : "rbac: " + settings.rbac().roles().size() + " roles, "
              + settings.rbac().grants().size() + " grants, "
              + settings.rbac().usergroups().size() + " Slack user groups");
      var remediation = settings.remediation();
      if (remediation.configured()) {
        out.println("remediation: " + (remediation.enabled() ? "enabled" : "DISABLED "
            + "(REMEDIATION_ENABLED=false)") + ", actions: " + String.join(", ",
            remediation.catalogue().actions().stream().map(a -> a.id() + " (" + a.executor().wire()
                + " " + a.operation() + ", approval " + a.approval().required().wire() + ")")
                .toList()));
      }
      var sentry = settings.sentry();
      out.println("sentry: " + (!sentry.enabled() ? "off (SENTRY_DSN is not set)"
          : "on, " + sentry.target() + ", fingerprint: " + sentry.fingerprint().wire()
              + ", environment from label: " + sentry.environmentLabel() + ", resolving issues: "
              + (sentry.resolves() ? "on (organization " + sentry.organization() + ")"
                  : "off (SENTRY_AUTH_TOKEN is not set; issues stay open)")));
      return 0;
    }
  }

  /** {@code version}: prints the version. */
  @Command(name = "version", description = "Print the version.")
  static final class PrintVersion implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println("alertdesk " + Version.current());
      return 0;
    }
  }

  /** Supplies {@code --version}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"alertdesk " + Version.current()};
    }
  }

}
