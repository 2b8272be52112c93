package dev.alertdesk.remediation;

/**
 * What a {@code scale} action sets and the bounds it must stay within.
 *
 * @param replicas the new replica count: absolute ({@code "5"}) or relative to the current one
 *     ({@code "+1"}, {@code "-2"})
 * @param minReplicas the fewest replicas the result may have, at least 0
 * @param maxReplicas the most replicas the result may have, at least {@code minReplicas}
 * @param maxChange the largest change from the current count, at least 1
 */
public record ScaleBounds(String replicas, int minReplicas, int maxReplicas, int maxChange) {
  /** Checks the bounds. */
  public ScaleBounds {
    if (!replicas.matches("[+-]?\\d{1,5}")) {
      throw new IllegalArgumentException("replicas must be a number such as 5, +1 or -2");
    }
    if (minReplicas < 0 || maxReplicas < minReplicas || maxChange < 1) {
      throw new IllegalArgumentException("needs 0 <= min <= max and max_change >= 1");
    }
    boolean relative = replicas.startsWith("+") || replicas.startsWith("-");
    int n = Integer.parseInt(replicas);
    if (relative && Math.abs(n) > maxChange) {
      throw new IllegalArgumentException("a change of " + replicas + " exceeds max_change "
          + maxChange);
    }
    if (!relative && (n < minReplicas || n > maxReplicas)) {
      throw new IllegalArgumentException("replicas " + n + " is outside " + minReplicas + "-"
          + maxReplicas);
    }
  }
}
