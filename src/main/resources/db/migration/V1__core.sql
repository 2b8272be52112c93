-- Alertdesk core schema. Runs on SQLite and PostgreSQL; ${id_column} is an auto-increment
-- primary key in each dialect. Times are UTC epoch milliseconds (BIGINT).

CREATE TABLE alert_group (
  receiver              TEXT   NOT NULL,
  group_key             TEXT   NOT NULL,
  last_notification_at  BIGINT NOT NULL,
  PRIMARY KEY (receiver, group_key)
);

CREATE TABLE notification (
  id                ${id_column},
  received_at       BIGINT  NOT NULL,
  receiver          TEXT    NOT NULL,
  group_key         TEXT    NOT NULL,
  status            TEXT    NOT NULL,
  alert_count       INTEGER NOT NULL,
  truncated_alerts  INTEGER NOT NULL,
  outcome           TEXT    NOT NULL,
  incident_id       BIGINT,
  headers_json      TEXT    NOT NULL,
  raw_json          TEXT    NOT NULL
);
CREATE INDEX notification_received ON notification (received_at);
CREATE INDEX notification_incident ON notification (incident_id);

CREATE TABLE incident (
  id                       ${id_column},
  receiver                 TEXT    NOT NULL,
  group_key                TEXT    NOT NULL,
  status                   TEXT    NOT NULL,
  alertname                TEXT    NOT NULL,
  severity                 TEXT,
  group_labels_json        TEXT    NOT NULL,
  common_labels_json       TEXT    NOT NULL,
  common_annotations_json  TEXT    NOT NULL,
  external_url             TEXT,
  truncated_alerts         INTEGER NOT NULL,
  started_at               BIGINT  NOT NULL,
  opened_at                BIGINT  NOT NULL,
  resolved_at              BIGINT,
  ended_at                 BIGINT,
  last_changed_at          BIGINT  NOT NULL,
  reopen_count             INTEGER NOT NULL,
  firing_count             INTEGER NOT NULL,
  resolved_count           INTEGER NOT NULL
);
CREATE INDEX incident_group ON incident (receiver, group_key, id);
CREATE INDEX incident_status ON incident (status, id);

CREATE TABLE incident_alert (
  incident_id       BIGINT NOT NULL REFERENCES incident (id),
  fingerprint       TEXT   NOT NULL,
  position          INTEGER NOT NULL,
  status            TEXT   NOT NULL,
  alertname         TEXT   NOT NULL,
  labels_json       TEXT   NOT NULL,
  annotations_json  TEXT   NOT NULL,
  starts_at         BIGINT NOT NULL,
  ends_at           BIGINT,
  generator_url     TEXT,
  PRIMARY KEY (incident_id, fingerprint)
);

CREATE TABLE alert_occurrence (
  fingerprint  TEXT   NOT NULL,
  starts_at    BIGINT NOT NULL,
  incident_id  BIGINT NOT NULL REFERENCES incident (id),
  alertname    TEXT   NOT NULL,
  ends_at      BIGINT,
  PRIMARY KEY (fingerprint, starts_at)
);
CREATE INDEX alert_occurrence_incident ON alert_occurrence (incident_id);

CREATE TABLE alert_fingerprint (
  fingerprint       TEXT    NOT NULL PRIMARY KEY,
  alertname         TEXT    NOT NULL,
  labels_json       TEXT    NOT NULL,
  first_seen_at     BIGINT  NOT NULL,
  last_seen_at      BIGINT  NOT NULL,
  occurrence_count  INTEGER NOT NULL
);

CREATE TABLE incident_event (
  id            ${id_column},
  incident_id   BIGINT NOT NULL REFERENCES incident (id),
  at            BIGINT NOT NULL,
  kind          TEXT   NOT NULL,
  details_json  TEXT   NOT NULL
);
CREATE INDEX incident_event_incident ON incident_event (incident_id, id);

CREATE TABLE slack_message (
  incident_id  BIGINT NOT NULL REFERENCES incident (id),
  channel      TEXT   NOT NULL,
  channel_id   TEXT   NOT NULL,
  ts           TEXT   NOT NULL,
  posted_at    BIGINT NOT NULL,
  PRIMARY KEY (incident_id, channel)
);

CREATE TABLE outbox (
  id               ${id_column},
  incident_id      BIGINT  NOT NULL REFERENCES incident (id),
  channel          TEXT    NOT NULL,
  kind             TEXT    NOT NULL,
  payload_json     TEXT    NOT NULL,
  status           TEXT    NOT NULL,
  attempts         INTEGER NOT NULL,
  next_attempt_at  BIGINT  NOT NULL,
  created_at       BIGINT  NOT NULL,
  locked_until     BIGINT,
  locked_by        TEXT,
  last_error       TEXT,
  finished_at      BIGINT
);
CREATE INDEX outbox_pending ON outbox (status, incident_id, id);
