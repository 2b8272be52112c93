package dev.alertdesk.alert;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One Alertmanager webhook notification (payload version "4"): a group of alerts
 * (prometheus.io/docs/alerting/latest/configuration/#webhook_config).
 *
 * @param receiver the Alertmanager receiver that sent it
 * @param status the group status: firing when at least one alert fires
 * @param groupKey the key identifying the Alertmanager aggregation group
 * @param groupLabels the labels the route groups by
 * @param commonLabels the labels every alert of the notification shares
 * @param commonAnnotations the annotations every alert shares
 * @param externalUrl Alertmanager's external URL, or null when absent
 * @param truncatedAlerts how many alerts Alertmanager left out ({@code max_alerts}); 0 or more
 * @param alerts the alerts in the notification, in Alertmanager's order
 */
public record Notification(
    String receiver,
    AlertStatus status,
    String groupKey,
    Labels groupLabels,
    Labels commonLabels,
    Labels commonAnnotations,
    @Nullable String externalUrl,
    int truncatedAlerts,
    List<Alert> alerts) {

  /** Copies the alert list. */
  public Notification {
    alerts = List.copyOf(alerts);
  }
}
