-- Noise control and routing (issue 5). Runs on SQLite and PostgreSQL; times are UTC epoch
-- milliseconds. Everything noise control counts or waits for lives here, so it survives restarts
-- and replicas share it.

-- Delivery state of one incident in one channel (posted, delayed, rolled up, ...).
CREATE TABLE incident_channel (
  incident_id          BIGINT  NOT NULL REFERENCES incident (id),
  channel              TEXT    NOT NULL,
  position             INTEGER NOT NULL,
  mode                 TEXT    NOT NULL,
  route_index          INTEGER NOT NULL,
  mention              TEXT,
  notify_at            BIGINT,
  storm_id             BIGINT,
  related_incident_id  BIGINT,
  correlation_key      TEXT,
  next_reminder_at     BIGINT,
  reminders_sent       INTEGER NOT NULL,
  PRIMARY KEY (incident_id, channel)
);
CREATE INDEX incident_channel_notify ON incident_channel (mode, notify_at);
CREATE INDEX incident_channel_reminder ON incident_channel (next_reminder_at);
CREATE INDEX incident_channel_correlation ON incident_channel (channel, correlation_key);
CREATE INDEX incident_channel_storm ON incident_channel (storm_id);

-- One row per channel, locked to serialise arrivals in that channel.
CREATE TABLE noise_channel (
  channel     TEXT   NOT NULL PRIMARY KEY,
  locked_at   BIGINT NOT NULL
);

-- New incidents that reached a channel, for the storm window.
CREATE TABLE noise_arrival (
  channel      TEXT   NOT NULL,
  incident_id  BIGINT NOT NULL,
  at           BIGINT NOT NULL,
  PRIMARY KEY (channel, incident_id)
);
CREATE INDEX noise_arrival_at ON noise_arrival (channel, at);

CREATE TABLE noise_storm (
  id                  ${id_column},
  channel             TEXT   NOT NULL,
  anchor_incident_id  BIGINT NOT NULL REFERENCES incident (id),
  started_at          BIGINT NOT NULL,
  ended_at            BIGINT
);
CREATE INDEX noise_storm_active ON noise_storm (channel, ended_at);

-- Changes of one fingerprint between firing and resolved, for the flapping window.
CREATE TABLE noise_transition (
  fingerprint  TEXT   NOT NULL,
  at           BIGINT NOT NULL,
  incident_id  BIGINT NOT NULL
);
CREATE INDEX noise_transition_fingerprint ON noise_transition (fingerprint, at);

CREATE TABLE noise_flapping (
  fingerprint         TEXT   NOT NULL PRIMARY KEY,
  incident_id         BIGINT NOT NULL,
  since               BIGINT NOT NULL,
  last_transition_at  BIGINT NOT NULL
);
CREATE INDEX noise_flapping_incident ON noise_flapping (incident_id);
