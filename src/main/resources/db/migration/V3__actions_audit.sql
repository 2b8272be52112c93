-- Issue 4: actions from Slack (acknowledge, silence, snooze) and the tamper-evident audit log.
-- Runs on SQLite and PostgreSQL; times are UTC epoch milliseconds (BIGINT).

-- Who responded to an incident: one row per incident, created by the first action.
CREATE TABLE incident_response (
  incident_id              BIGINT  NOT NULL PRIMARY KEY REFERENCES incident (id),
  acknowledged_by_id       TEXT,
  acknowledged_by_name     TEXT,
  acknowledged_at          BIGINT,
  silence_id               TEXT,
  silence_matchers_json    TEXT,
  silenced_until           BIGINT,
  silenced_by_id           TEXT,
  silenced_by_name         TEXT,
  silence_until_resolved   INTEGER NOT NULL DEFAULT 0,
  updated_at               BIGINT  NOT NULL
);
CREATE INDEX incident_response_silence ON incident_response (silence_until_resolved, silence_id);

-- Sentry-style snooze of one alert fingerprint: no thread replies about it until snoozed_until
-- or until its occurrence count reaches until_occurrence_count, whichever is set.
CREATE TABLE fingerprint_snooze (
  fingerprint             TEXT    NOT NULL PRIMARY KEY,
  incident_id             BIGINT  NOT NULL REFERENCES incident (id),
  snoozed_until           BIGINT,
  until_occurrence_count  INTEGER,
  snoozed_by_id           TEXT    NOT NULL,
  snoozed_by_name         TEXT    NOT NULL,
  created_at              BIGINT  NOT NULL
);

-- Slack interactions received, keyed so that a Slack retry or a replayed request runs once.
-- A row is written before the 200 is answered and worked on afterwards (status pending -> done).
CREATE TABLE slack_interaction (
  id              ${id_column},
  action_key      TEXT    NOT NULL UNIQUE,
  received_at     BIGINT  NOT NULL,
  status          TEXT    NOT NULL,
  payload_json    TEXT    NOT NULL,
  finished_at     BIGINT
);
CREATE INDEX slack_interaction_status ON slack_interaction (status, id);

-- The append-only audit log. hash = SHA-256(prev_hash || canonical row), hex.
CREATE TABLE audit_log (
  id               ${id_column},
  at               BIGINT  NOT NULL,
  user_id          TEXT    NOT NULL,
  user_name        TEXT    NOT NULL,
  action           TEXT    NOT NULL,
  incident_id      BIGINT,
  target_json      TEXT    NOT NULL,
  parameters_json  TEXT    NOT NULL,
  result           TEXT    NOT NULL,
  error            TEXT,
  prev_hash        TEXT    NOT NULL,
  hash             TEXT    NOT NULL
);
CREATE INDEX audit_log_incident ON audit_log (incident_id, id);
CREATE INDEX audit_log_at ON audit_log (at, id);

-- The chain head: one row, locked by every append so appends are serial on PostgreSQL too.
CREATE TABLE audit_head (
  id         INTEGER NOT NULL PRIMARY KEY,
  last_id    BIGINT  NOT NULL,
  last_hash  TEXT    NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
