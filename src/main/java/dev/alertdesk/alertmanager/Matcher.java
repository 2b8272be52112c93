package dev.alertdesk.alertmanager;

/**
 * A silence matcher as Alertmanager's API v2 takes it ({@code models.Matcher} in
 * alertmanager/api/v2/openapi.yaml).
 *
 * @param name the label name
 * @param value the label value, or a regular expression when {@code isRegex}
 * @param isRegex true for {@code =~}/{@code !~}
 * @param isEqual true for {@code =}/{@code =~}, false for {@code !=}/{@code !~}
 */
public record Matcher(
    String name,
    String value,
    boolean isRegex,
    boolean isEqual) {

  /** Returns an equality matcher {@code name="value"}. */
  public static Matcher equal(String name, String value) {
    return new Matcher(name, value, false, true);
  }

  /** Returns the matcher in PromQL-like form, e.g. {@code alertname="HighLatency"}. */
  @Override
  public String toString() {
    String op = isEqual ? (isRegex ? "=~" : "=") : (isRegex ? "!~" : "!=");
    return name + op + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
