package dev.alertdesk.config;

import dev.alertdesk.alert.Matcher;
import dev.alertdesk.alert.MatcherSyntaxException;
import dev.alertdesk.alert.Matchers;
import dev.alertdesk.noise.NoiseRules;
import dev.alertdesk.noise.EmailRoute;
import dev.alertdesk.noise.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code routes}, {@code noise} and {@code reminders} sections of {@code CONFIG_FILE}
 * into {@link NoiseRules}. Every error names the file, the line and the key path, e.g.
 * {@code alertdesk.yml line 4: routes[0].matchers[1]: bad matcher format: …}. Unknown keys are
 * errors, so a typo never silently turns a rule off.
 */
public final class NoiseConfig {
  private static final Set<String> ROUTE_KEYS = Set.of("matchers", "channel", "mention", "slack",
      "continue", "sentry", "email");
  private static final Set<String> EMAIL_KEYS = Set.of("to", "on");
  /** At most this many recipients per route. */
  static final int MAX_RECIPIENTS = 50;
  private static final Set<String> NOISE_KEYS = Set.of("notify_after", "flapping", "storm",
      "correlate_by");
  private static final int MAX_COUNT = 1_000_000;
  /** One or more of Slack's mention forms, separated by spaces. */
  private static final java.util.regex.Pattern MENTION = java.util.regex.Pattern.compile(
      "(?:<!subteam\\^[A-Z0-9]+(?:\\|[^<>]*)?>|<@[UW][A-Z0-9]+(?:\\|[^<>]*)?>|<!here>|<!channel>)"
      + "(?:\\s+(?:<!subteam\\^[A-Z0-9]+(?:\\|[^<>]*)?>|<@[UW][A-Z0-9]+(?:\\|[^<>]*)?>|<!here>"
      + "|<!channel>))*");
  private static final Duration MAX_DURATION = Duration.ofDays(365);

  private NoiseConfig() {}

  /**
   * Reads the rules from {@code file} alone, for tests and tools; the service has them from
   * {@link Settings#noiseRules()}, which reads {@code CONFIG_FILE} once.
   *
   * @param file the config file, or null for none
   * @param env the environment {@code ${VAR}} is expanded from
   * @return the rules; {@link NoiseRules#NONE} when {@code file} is null or has none
   * @throws ConfigException naming the file, line and key of every invalid value, in file order
   */
  public static NoiseRules load(@Nullable Path file, Map<String, String> env) {
    if (file == null) {
      return NoiseRules.NONE;
    }
    return parse(file, ConfigFile.read(file).text(), env);
  }

  /**
   * Parses the sections from YAML text.
   *
   * @param file names the source in error messages
   * @throws ConfigException naming the file, line and key of every invalid value, in file order
   */
  static NoiseRules parse(Path file, String text, Map<String, String> env) {
    return read(file, YamlTree.parse(file, text), env);
  }

  /**
   * Reads the sections from the parsed file.
   *
   * @param file names the source in error messages
   * @param root the parsed file, or null when it is empty
   * @throws ConfigException naming the file, line and key of every invalid value, in file order
   */
  static NoiseRules read(Path file, YamlTree.@Nullable Node root, Map<String, String> env) {
    if (root == null || !(root.value() instanceof Map)) {
      return NoiseRules.NONE;
    }
    Map<String, YamlTree.Node> top = root.mapping(file, "(top level)");
    Reader r = new Reader(file, env);
    List<Route> routes = new ArrayList<>(r.attempt(() -> r.routes(top.get("routes"),
        top.get("smtp") != null && top.get("smtp").value() != null), List.of()));
    Duration minFiring = Duration.ZERO;
    Duration flappingWindow = Duration.ZERO;
    int flappingMax = 0;
    Duration stormWindow = Duration.ZERO;
    int stormMax = 0;
    List<String> correlateBy = List.of();
    YamlTree.Node noise = top.get("noise");
    if (noise != null && noise.value() != null) {
      Map<String, YamlTree.Node> n = r.attempt(() -> r.mapping(noise, "noise", NOISE_KEYS),
          Map.of());
      Map<String, YamlTree.Node> notifyAfter = r.attempt(() -> r.optionalMapping(
          n.get("notify_after"), "noise.notify_after", Set.of("min_firing")), Map.of());
      minFiring = r.attempt(() -> r.duration(notifyAfter.get("min_firing"),
          "noise.notify_after.min_firing"), Duration.ZERO);
      Map<String, YamlTree.Node> flapping = r.attempt(() -> r.optionalMapping(n.get("flapping"),
          "noise.flapping", Set.of("window", "max_transitions")), Map.of());
      if (!flapping.isEmpty()) {
        flappingWindow = r.attempt(() -> r.requiredDuration(flapping, n.get("flapping"),
            "window", "noise.flapping"), Duration.ZERO);
        flappingMax = r.attempt(() -> r.requiredCount(flapping, n.get("flapping"),
            "max_transitions", "noise.flapping"), 0);
      }
      Map<String, YamlTree.Node> storm = r.attempt(() -> r.optionalMapping(n.get("storm"),
          "noise.storm", Set.of("window", "max_new_incidents")), Map.of());
      if (!storm.isEmpty()) {
        stormWindow = r.attempt(() -> r.requiredDuration(storm, n.get("storm"), "window",
            "noise.storm"), Duration.ZERO);
        stormMax = r.attempt(() -> r.requiredCount(storm, n.get("storm"), "max_new_incidents",
            "noise.storm"), 0);
      }
      correlateBy = r.attempt(() -> r.labelNames(n.get("correlate_by"), "noise.correlate_by"),
          List.of());
    }
    Duration remindAfter = Duration.ZERO;
    YamlTree.Node reminders = top.get("reminders");
    if (reminders != null && reminders.value() != null) {
      Map<String, YamlTree.Node> m = r.attempt(() -> r.mapping(reminders, "reminders",
          Set.of("unacknowledged_after")), Map.of());
      remindAfter = r.attempt(() -> r.duration(m.get("unacknowledged_after"),
          "reminders.unacknowledged_after"), Duration.ZERO);
    }
    for (int i = 0; i < routes.size(); i++) {
      Route route = routes.get(i);
      EmailRoute email = route.email();
      if (email == null || !email.on().contains(EmailRoute.On.UNACKNOWLEDGED)
          || !remindAfter.isZero()) {
        continue;
      }
      if (r.explicitOn.contains(i)) {
        r.problems.add(file + ": routes[" + i + "].email.on: unacknowledged needs "
            + "reminders.unacknowledged_after (the escalation is sent when it passes)");
      } else {
        // The default "on" escalates only when reminders are on.
        java.util.Set<EmailRoute.On> on = java.util.EnumSet.copyOf(email.on());
        on.remove(EmailRoute.On.UNACKNOWLEDGED);
        routes.set(i, new Route(route.matchers(), route.channel(), route.mention(),
            route.slack(), route.continueMatching(), route.sentry(),
            new EmailRoute(email.to(), on)));
      }
    }
    r.throwProblems();
    return new NoiseRules(List.copyOf(routes), minFiring, flappingWindow, flappingMax, stormWindow, stormMax,
        correlateBy, remindAfter);
  }

  /**
   * Walks the tree, producing located errors. A bad value is recorded and the walk goes on with
   * a default, so every problem of the file is reported at once ({@link #throwProblems}).
   */
  private static final class Reader {
    private final Path file;
    private final Map<String, String> env;
    final List<String> problems = new ArrayList<>();
    /** Indexes of routes whose {@code email.on} is written out (not the default). */
    final Set<Integer> explicitOn = new java.util.HashSet<>();

    Reader(Path file, Map<String, String> env) {
      this.file = file;
      this.env = env;
    }

    /** Runs one parse step; when it fails, records the problem and returns {@code fallback}. */
    <T> T attempt(java.util.function.Supplier<T> step, T fallback) {
      try {
        return step.get();
      } catch (ConfigException e) {
        problems.addAll(e.problems());
        return fallback;
      }
    }

    /** Throws every recorded problem, in file order, when there is any. */
    void throwProblems() {
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
    }

    ConfigException error(YamlTree.Node node, String path, String message) {
      return new ConfigException(file + " line " + node.line() + ": " + path + ": " + message);
    }

    Map<String, YamlTree.Node> mapping(YamlTree.Node node, String path, Set<String> keys) {
      Map<String, YamlTree.Node> map = node.mapping(file, path);
      Map<String, YamlTree.Node> known = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, YamlTree.Node> e : map.entrySet()) {
        if (keys.contains(e.getKey())) {
          known.put(e.getKey(), e.getValue());
        } else {
          problems.add(error(e.getValue(), path + "." + e.getKey(), "unknown key; known keys are "
              + String.join(", ", keys.stream().sorted().toList())).getMessage());
        }
      }
      return known;
    }

    Map<String, YamlTree.Node> optionalMapping(YamlTree.@Nullable Node node, String path,
        Set<String> keys) {
      return node == null || node.value() == null ? Map.of() : mapping(node, path, keys);
    }

    Duration duration(YamlTree.@Nullable Node node, String path) {
      if (node == null || node.value() == null) {
        return Duration.ZERO;
      }
      String text = node.scalar(file, path);
      Duration d;
      try {
        d = Durations.parse(text, path);
      } catch (ConfigException e) {
        throw new ConfigException(file + " line " + node.line() + ": " + e.getMessage());
      }
      if (d.compareTo(MAX_DURATION) > 0) {
        throw error(node, path, "at most 365d, got " + text);
      }
      return d;
    }

    Duration requiredDuration(Map<String, YamlTree.Node> map, YamlTree.@Nullable Node parent,
        String key, String path) {
      YamlTree.Node node = map.get(key);
      if (node == null || node.value() == null) {
        throw error(parent == null ? new YamlTree.Node(null, 0) : parent, path + "." + key,
            "required when " + path + " is set");
      }
      return duration(node, path + "." + key);
    }

    int requiredCount(Map<String, YamlTree.Node> map, YamlTree.@Nullable Node parent, String key,
        String path) {
      YamlTree.Node node = map.get(key);
      if (node == null || node.value() == null) {
        throw error(parent == null ? new YamlTree.Node(null, 0) : parent, path + "." + key,
            "required when " + path + " is set");
      }
      String text = node.scalar(file, path + "." + key).trim();
      try {
        int n = Integer.parseInt(text);
        if (n < 0 || n > MAX_COUNT) {
          throw error(node, path + "." + key, "must be between 0 and " + MAX_COUNT + ", got " + n);
        }
        return n;
      } catch (NumberFormatException e) {
        throw error(node, path + "." + key, "not a whole number: \"" + text + "\"");
      }
    }

    boolean bool(YamlTree.@Nullable Node node, String path, boolean otherwise) {
      if (node == null || node.value() == null) {
        return otherwise;
      }
      return switch (node.scalar(file, path).trim()) {
        case "true" -> true;
        case "false" -> false;
        default -> throw error(node, path, "must be true or false");
      };
    }

    @Nullable String string(YamlTree.@Nullable Node node, String path) {
      if (node == null || node.value() == null) {
        return null;
      }
      String text = Settings.expand(node.scalar(file, path), env, file, node.line()).strip();
      if (text.isEmpty()) {
        throw error(node, path, "must not be empty");
      }
      return text;
    }

    List<String> labelNames(YamlTree.@Nullable Node node, String path) {
      if (node == null || node.value() == null) {
        return List.of();
      }
      Set<String> names = new LinkedHashSet<>();
      List<YamlTree.Node> items = node.sequence(file, path);
      for (int i = 0; i < items.size(); i++) {
        String name = items.get(i).scalar(file, path + "[" + i + "]").strip();
        try {
          Matcher.of(Matcher.Type.EQUAL, name, "");
        } catch (MatcherSyntaxException e) {
          throw error(items.get(i), path + "[" + i + "]", "\"" + name + "\" is not a label name");
        }
        names.add(name);
      }
      return List.copyOf(names);
    }

    List<Route> routes(YamlTree.@Nullable Node node, boolean smtp) {
      if (node == null || node.value() == null) {
        return List.of();
      }
      List<YamlTree.Node> items = node.sequence(file, "routes");
      List<Route> routes = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        String path = "routes[" + i + "]";
        YamlTree.Node item = items.get(i);
        Map<String, YamlTree.Node> m = attempt(() -> mapping(item, path, ROUTE_KEYS), Map.of());
        List<Matcher> matchers = new ArrayList<>();
        YamlTree.Node list = m.get("matchers");
        List<YamlTree.Node> texts = list == null || list.value() == null ? List.of()
            : attempt(() -> list.sequence(file, path + ".matchers"), List.of());
        for (int j = 0; j < texts.size(); j++) {
          String mp = path + ".matchers[" + j + "]";
          YamlTree.Node text = texts.get(j);
          Matcher parsed = attempt(() -> {
            try {
              return Matcher.parse(text.scalar(file, mp));
            } catch (MatcherSyntaxException e) {
              throw error(text, mp, e.getMessage());
            }
          }, null);
          if (parsed != null) {
            matchers.add(parsed);
          }
        }
        boolean slack = attempt(() -> bool(m.get("slack"), path + ".slack", true), true);
        String channel = attempt(() -> string(m.get("channel"), path + ".channel"), null);
        String mention = attempt(() -> mention(m.get("mention"), path + ".mention"), null);
        boolean cont = attempt(() -> bool(m.get("continue"), path + ".continue", false), false);
        Boolean sentry = m.get("sentry") == null ? null
            : attempt(() -> bool(m.get("sentry"), path + ".sentry", true), null);
        EmailRoute email = attempt(() -> email(m.get("email"), path + ".email", smtp), null);
        YamlTree.Node emailNode = m.get("email");
        if (email != null && emailNode.value() instanceof Map<?, ?> em && em.get("on") != null) {
          explicitOn.add(i);
        }
        routes.add(new Route(new Matchers(matchers), channel, mention, slack, cont, sentry,
            email));
      }
      return routes;
    }

    /**
     * A route's {@code email: {to: [addresses], on: [opened, resolved, unacknowledged]}}; {@code on}
     * defaults to all three ({@code unacknowledged} only while reminders are on). Needs the
     * {@code smtp} section.
     */
    @Nullable EmailRoute email(YamlTree.@Nullable Node node, String path, boolean smtp) {
      if (node == null || node.value() == null) {
        return null;
      }
      Map<String, YamlTree.Node> m = mapping(node, path, EMAIL_KEYS);
      if (!smtp) {
        throw error(node, path, "needs the smtp section (the server mail is sent through)");
      }
      YamlTree.Node toNode = m.get("to");
      if (toNode == null || toNode.value() == null) {
        throw error(node, path + ".to", "required: a list of addresses");
      }
      List<YamlTree.Node> items = toNode.sequence(file, path + ".to");
      if (items.isEmpty() || items.size() > MAX_RECIPIENTS) {
        throw error(toNode, path + ".to", "between 1 and " + MAX_RECIPIENTS + " addresses");
      }
      List<String> to = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        String p = path + ".to[" + i + "]";
        String address = string(items.get(i), p);
        if (address == null) {
          throw error(items.get(i), p, "must not be empty");
        }
        try {
          jakarta.mail.internet.InternetAddress parsed =
              new jakarta.mail.internet.InternetAddress(address, true);
          if (parsed.getAddress().indexOf('@') < 1) {
            throw new jakarta.mail.internet.AddressException("no domain");
          }
        } catch (jakarta.mail.internet.AddressException e) {
          throw error(items.get(i), p, "\"" + address + "\" is not an e-mail address");
        }
        to.add(address);
      }
      Set<EmailRoute.On> on = java.util.EnumSet.allOf(EmailRoute.On.class);
      YamlTree.Node onNode = m.get("on");
      if (onNode != null && onNode.value() != null) {
        on = java.util.EnumSet.noneOf(EmailRoute.On.class);
        List<YamlTree.Node> moments = onNode.sequence(file, path + ".on");
        for (int i = 0; i < moments.size(); i++) {
          String text = moments.get(i).scalar(file, path + ".on[" + i + "]").strip();
          EmailRoute.On found = null;
          for (EmailRoute.On o : EmailRoute.On.values()) {
            if (o.wire().equals(text)) {
              found = o;
            }
          }
          if (found == null) {
            throw error(moments.get(i), path + ".on[" + i + "]", "\"" + text
                + "\" is not one of opened, resolved, unacknowledged");
          }
          on.add(found);
        }
        if (on.isEmpty()) {
          throw error(onNode, path + ".on", "name at least one of opened, resolved, "
              + "unacknowledged (or leave out email)");
        }
      }
      return new EmailRoute(to, on);
    }

    /**
     * A route's mention: Slack's mention markup only, one or more separated by spaces:
     * {@code <!subteam^ID>} (a user group), {@code <@U…>} (a user), {@code <!here>},
     * {@code <!channel>}. Plain text such as {@code @oncall} is not turned into a mention by
     * Slack.
     */
    @Nullable String mention(YamlTree.@Nullable Node node, String path) {
      String text = string(node, path);
      if (text == null) {
        return null;
      }
      if (!MENTION.matcher(text).matches()) {
        throw error(node, path, "\"" + text + "\" is not Slack mention markup, which Slack "
            + "would show as plain text; write <!subteam^ID> for a user group (the ID starts "
            + "with S, see the group's profile), <@U123ABC> for a user, <!here> or <!channel>");
      }
      return text;
    }
  }
}
