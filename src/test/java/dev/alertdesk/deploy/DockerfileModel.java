package dev.alertdesk.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of a Dockerfile, read the way the Docker builder reads them: comments and
 * blank lines dropped, {@code \} continuations joined, one instruction per logical line, split
 * into stages at each {@code FROM}. Only what the tests need is interpreted: {@code ENV} and
 * {@code LABEL} pairs, and the JSON (exec) form of {@code ENTRYPOINT}, {@code CMD} and
 * {@code VOLUME}.
 */
final class DockerfileModel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PAIR =
      Pattern.compile("([A-Za-z0-9_.-]+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S*))");

  /**
   * One instruction.
   *
   * @param keyword upper-case, e.g. {@code ENV}
   * @param arguments the rest of the logical line, continuations joined with a space
   */
  record Instruction(String keyword, String arguments) {}

  /**
   * One build stage: its {@code FROM} line and the instructions after it.
   *
   * @param from the {@code FROM} arguments, e.g. {@code maven:3.9 AS build}
   * @param instructions everything up to the next {@code FROM}
   */
  record Stage(String from, List<Instruction> instructions) {
    /** Returns the arguments of every instruction with this keyword, in order. */
    List<String> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword))
          .map(Instruction::arguments).toList();
    }

    /** Returns the arguments of the last instruction with this keyword (the one that counts). */
    String last(String keyword) {
      List<String> all = all(keyword);
      if (all.isEmpty()) {
        throw new AssertionError("no " + keyword + " in the stage FROM " + from);
      }
      return all.get(all.size() - 1);
    }

    /** Returns the environment every {@code ENV} of this stage sets, in order. */
    Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      all("ENV").forEach(a -> env.putAll(pairs(a)));
      return env;
    }

    /** Returns every {@code LABEL} of this stage. */
    Map<String, String> labels() {
      Map<String, String> labels = new LinkedHashMap<>();
      all("LABEL").forEach(a -> labels.putAll(pairs(a)));
      return labels;
    }

    /** Returns the exec-form array of the last instruction with this keyword. */
    List<String> execForm(String keyword) {
      String arguments = last(keyword);
      try {
        return JSON.readValue(arguments, new TypeReference<List<String>>() {});
      } catch (IOException e) {
        throw new AssertionError(keyword + " is not in exec (JSON) form: " + arguments, e);
      }
    }
  }

  private final List<Stage> stages;

  private DockerfileModel(List<Stage> stages) {
    this.stages = stages;
  }

  /** Reads a Dockerfile. */
  static DockerfileModel read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses Dockerfile text. */
  static DockerfileModel parse(String text) {
    List<Instruction> logical = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (current.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (current.length() > 0 && line.startsWith("#")) {
        continue; // comments inside a continued instruction are dropped too
      }
      boolean continues = line.endsWith("\\");
      current.append(continues ? line.substring(0, line.length() - 1).strip() : line).append(' ');
      if (!continues) {
        String joined = current.toString().strip();
        int space = joined.indexOf(' ');
        logical.add(new Instruction(joined.substring(0, space < 0 ? joined.length() : space)
            .toUpperCase(Locale.ROOT), space < 0 ? "" : joined.substring(space + 1).strip()));
        current.setLength(0);
      }
    }
    List<Stage> stages = new ArrayList<>();
    for (Instruction i : logical) {
      if (i.keyword().equals("FROM")) {
        stages.add(new Stage(i.arguments(), new ArrayList<>()));
      } else if (stages.isEmpty()) {
        if (!i.keyword().equals("ARG")) {
          throw new AssertionError("instruction before the first FROM: " + i);
        }
      } else {
        stages.get(stages.size() - 1).instructions().add(i);
      }
    }
    return new DockerfileModel(List.copyOf(stages));
  }

  /** Returns the stages in order. */
  List<Stage> stages() {
    return stages;
  }

  /** Returns the last stage: the image that runs. */
  Stage runtime() {
    return stages.get(stages.size() - 1);
  }

  /** Splits {@code k=v k2="v 2"} into pairs, unquoting double-quoted values. */
  static Map<String, String> pairs(String arguments) {
    Map<String, String> pairs = new LinkedHashMap<>();
    Matcher m = PAIR.matcher(arguments);
    while (m.find()) {
      String value = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(4);
      pairs.put(m.group(1), value);
    }
    return pairs;
  }
}
