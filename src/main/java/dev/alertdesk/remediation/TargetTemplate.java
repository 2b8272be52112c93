package dev.alertdesk.remediation;

import dev.alertdesk.alert.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target field built from an alert's labels: literal text with {@code {{ .Labels.name }}}
 * placeholders, the one form of Go templating the catalogue accepts (no functions, no pipelines,
 * no other fields). The result must be a Kubernetes name: a DNS-1123 label for a namespace, a
 * DNS-1123 subdomain for an object; a missing or empty label, or a value such as {@code ../x},
 * {@code *} or {@code a/b}, is refused, never passed on. Label values are inserted once and never
 * expanded again. Pure and thread-safe.
 */
public final class TargetTemplate {
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*\\.Labels\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
  /** DNS-1123 label (Kubernetes namespaces): lower-case alphanumerics and '-', at most 63. */
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  /** DNS-1123 subdomain (object names): labels joined by '.', at most 253. */
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** What the rendered value must be. */
  public enum Kind {
    /** A namespace: a DNS-1123 label. */
    NAMESPACE,
    /** An object name: a DNS-1123 subdomain of at most 253 characters. */
    NAME
  }

  private final String source;
  private final Kind kind;
  /** Alternating literal, label name, literal, …; always odd in length. */
  private final List<String> parts;

  private TargetTemplate(String source, Kind kind, List<String> parts) {
    this.source = source;
    this.kind = kind;
    this.parts = List.copyOf(parts);
  }

  /**
   * Parses a template.
   *
   * @param source such as {@code {{ .Labels.namespace }}} or {@code {{ .Labels.app }}-api}
   * @param kind what its value must be
   * @throws IllegalArgumentException when it has a {@code {{} that is not a label placeholder,
   *     or is empty
   */
  public static TargetTemplate parse(String source, Kind kind) {
    if (source.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    List<String> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(source);
    int at = 0;
    while (m.find()) {
      parts.add(source.substring(at, m.start()));
      parts.add(m.group(1));
      at = m.end();
    }
    parts.add(source.substring(at));
    for (int i = 0; i < parts.size(); i += 2) {
      if (parts.get(i).contains("{{") || parts.get(i).contains("}}")) {
        throw new IllegalArgumentException("only {{ .Labels.name }} placeholders are allowed, got \""
            + source + "\"");
      }
    }
    if (parts.size() == 1) {
      // A literal: it must itself be valid.
      String refusal = check(source, kind);
      if (refusal != null) {
        throw new IllegalArgumentException(refusal);
      }
    }
    return new TargetTemplate(source, kind, parts);
  }

  /** The label names the template reads, in order. */
  public List<String> labels() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i < parts.size(); i += 2) {
      out.add(parts.get(i));
    }
    return out;
  }

  /**
   * Renders the template from an alert's labels.
   *
   * @param labels the labels
   * @return the value, or why it is refused
   */
  public Rendered render(Labels labels) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (i % 2 == 0) {
        out.append(parts.get(i));
        continue;
      }
      String name = parts.get(i);
      String value = labels.get(name);
      if (value == null || value.isEmpty()) {
        return Rendered.refused("the alert has no label " + name);
      }
      out.append(value);
      if (out.length() > 253) {
        return Rendered.refused("label " + name + " is too long");
      }
    }
    String value = out.toString();
    String refusal = check(value, kind);
    return refusal == null ? new Rendered(value, null) : Rendered.refused(refusal);
  }

  /** Returns why {@code value} is not a valid {@code kind}, or null when it is. */
  static @org.jspecify.annotations.Nullable String check(String value, Kind kind) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    if (kind == Kind.NAMESPACE) {
      return DNS_LABEL.matcher(value).matches() ? null
          : "\"" + shown + "\" is not a valid namespace (DNS-1123 label)";
    }
    return value.length() <= 253 && DNS_SUBDOMAIN.matcher(value).matches() ? null
        : "\"" + shown + "\" is not a valid object name (DNS-1123 subdomain)";
  }

  @Override
  public String toString() {
    return source;
  }

  /**
   * A rendered template.
   *
   * @param value the value, or null when refused
   * @param refusal why it was refused (untrusted label text inside, clipped), or null
   */
  public record Rendered(@org.jspecify.annotations.Nullable String value,
      @org.jspecify.annotations.Nullable String refusal) {
    static Rendered refused(String why) {
      return new Rendered(null, why);
    }

    /** Returns true when a value was rendered. */
    public boolean ok() {
      return value != null;
    }
  }
}
