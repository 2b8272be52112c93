package dev.alertdesk.remediation;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * {@code remediation.executors.kubernetes}: how the {@code kubernetes} executor reaches the API
 * server. Without either value fabric8's auto-configuration applies (in-cluster service account,
 * else {@code KUBECONFIG}, else {@code ~/.kube/config}).
 *
 * @param kubeconfig a kubeconfig file to use instead, or null
 * @param context the kubeconfig context to use, or null for its current context
 */
public record KubernetesExecutorSettings(@Nullable Path kubeconfig, @Nullable String context) {}
