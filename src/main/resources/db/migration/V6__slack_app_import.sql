-- The autometrics slack-app's alerts rows, imported at start-up when its `alerts` table sits in
-- the same database (issue 12). Its own tables are never changed. `id` is its alerts.id, which
-- its old Slack messages name in /api/chart/{id}; an unresolved row's channel and ts become the
-- parent message of the first Alertdesk incident holding that fingerprint (adopted_incident_id),
-- so an alert still firing at cut-over updates its message instead of posting a new one.

CREATE TABLE slack_app_alert (
  id                   BIGINT  NOT NULL PRIMARY KEY,
  fingerprint          TEXT,
  resolved             INTEGER NOT NULL,
  slack_channel        TEXT,
  slack_ts             TEXT,
  chart_filename       TEXT,
  sloth_service        TEXT,
  sloth_slo            TEXT,
  objective_name       TEXT,
  severity             TEXT,
  created_at           TEXT,
  adopted_incident_id  BIGINT
);
CREATE INDEX slack_app_alert_fingerprint ON slack_app_alert (fingerprint, resolved);
