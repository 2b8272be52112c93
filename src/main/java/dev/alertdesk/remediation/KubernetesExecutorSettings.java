package dev.alertdesk.remediation;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code remediation.executors.kubernetes}: how the {@code kubernetes} executor reaches the API
 * server. Without either value fabric8's auto-configuration applies (in-cluster service account,
 * else {@code KUBECONFIG}, else {@code ~/.kube/config}).
 *
 * @param kubeconfig a kubeconfig file to use instead, or null
 * @param timeout the connect and request timeout of each API request; default 10 s
 */
public record KubernetesExecutorSettings(@Nullable Path kubeconfig, Duration timeout) {}
