package dev.alertdesk.remediation;

import java.net.URI;
import java.time.Duration;

/**
 * {@code remediation.executors.http}: the remediation-executor service the {@code http} executor
 * POSTs to. {@link #toString()} masks the secret.
 *
 * @param url the endpoint, http(s)
 * @param secretEnv the variable {@code secret_env} names (shown in messages)
 * @param secret the HMAC-SHA256 signing secret, read from that variable
 * @param timeout the whole call's timeout; default 10 s
 */
public record HttpExecutorSettings(URI url, String secretEnv, String secret, Duration timeout) {
  @Override
  public String toString() {
    return "HttpExecutorSettings[url=" + url + ", secret=****, timeout=" + timeout + "]";
  }
}
