package dev.alertdesk.remediation;

/**
 * What a {@code scale} action sets and the bounds it must stay within.
 *
 * @param replicas the new replica count, a decimal number within the bounds (the executor sets it;
 *     a count relative to the current one is not supported yet)
 * @param minReplicas the fewest replicas the result may have, at least 0
 * @param maxReplicas the most replicas the result may have, at least {@code minReplicas}
 * @param maxChange the largest change from the current count, at least 1; passed to the
 *     executor as {@link RemediationTarget#MAX_CHANGE}
 */
public record ScaleBounds(String replicas, int minReplicas, int maxReplicas, int maxChange) {
  /** Checks the bounds. */
  public ScaleBounds {
    if (!replicas.matches("\\d{1,5}")) {
      throw new IllegalArgumentException("replicas must be a whole number such as 5");
    }
    if (minReplicas < 0 || maxReplicas < minReplicas || maxChange < 1) {
      throw new IllegalArgumentException("needs 0 <= min <= max and max_change >= 1");
    }
    int n = Integer.parseInt(replicas);
    if (n < minReplicas || n > maxReplicas) {
      throw new IllegalArgumentException("replicas " + n + " is outside " + minReplicas + "-"
          + maxReplicas);
    }
  }
}
