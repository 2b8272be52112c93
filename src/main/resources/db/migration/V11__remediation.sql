-- Issue 15: remediation requests from Slack, their approvals, the one execution per approval,
-- the shared token buckets of the limits, the kill switch, and thread messages edited in place.
-- Runs on SQLite and PostgreSQL; times are UTC epoch milliseconds (BIGINT). No foreign key to
-- incident: requests are kept as evidence when retention purges the incident.

-- One request. Every change is a compare-and-set on (id, version) in the transaction that
-- appends its audit row.
CREATE TABLE remediation_request (
  id                        VARCHAR(64) NOT NULL PRIMARY KEY,
  incident_id               BIGINT      NOT NULL,
  action_id                 TEXT        NOT NULL,
  target_namespace          TEXT        NOT NULL,
  target_name               TEXT        NOT NULL,
  target_params_json        TEXT        NOT NULL,
  state                     VARCHAR(32) NOT NULL,
  version                   INTEGER     NOT NULL,
  requested_by_id           TEXT        NOT NULL,
  requested_by_name         TEXT        NOT NULL,
  channel                   TEXT        NOT NULL,
  created_at                BIGINT      NOT NULL,
  expires_at                BIGINT      NOT NULL,
  updated_at                BIGINT      NOT NULL,
  preview_summary           TEXT,
  preview_resource_version  TEXT,
  preview_generation        BIGINT,
  preview_hash              TEXT,
  approvals_needed          INTEGER     NOT NULL,
  decided_by_id             TEXT,
  detail                    TEXT
);
CREATE INDEX remediation_request_incident ON remediation_request (incident_id, created_at);
CREATE INDEX remediation_request_state ON remediation_request (state, expires_at);
CREATE INDEX remediation_request_created ON remediation_request (created_at, id);

-- Approvals: one per person per request (the primary key makes every approver distinct).
CREATE TABLE remediation_approval (
  request_id   VARCHAR(64) NOT NULL REFERENCES remediation_request (id),
  user_id      VARCHAR(64) NOT NULL,
  user_name    TEXT        NOT NULL,
  approved_at  BIGINT      NOT NULL,
  roles_json   TEXT        NOT NULL,
  PRIMARY KEY (request_id, user_id)
);

-- Exactly one execution per approval: the insert of this row is in the transaction that moves
-- the request to executing; a second one (double click, Slack retry, another replica) violates
-- the primary key and rolls back.
CREATE TABLE remediation_execution (
  request_id   VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES remediation_request (id),
  started_at   BIGINT      NOT NULL,
  approved_by  TEXT        NOT NULL
);

-- Token buckets of the limits (per target, per action, total), shared by every replica.
CREATE TABLE remediation_bucket (
  bucket_key    VARCHAR(400) NOT NULL PRIMARY KEY,
  milli_tokens  BIGINT       NOT NULL,
  updated_at    BIGINT       NOT NULL
);

-- The kill switch set by `alertdesk freeze` / `unfreeze`; one row.
CREATE TABLE remediation_switch (
  id          INTEGER NOT NULL PRIMARY KEY,
  frozen      INTEGER NOT NULL,
  changed_at  BIGINT,
  changed_by  TEXT,
  reason      TEXT
);
INSERT INTO remediation_switch (id, frozen) VALUES (1, 0);

-- Thread messages edited in place (a remediation request's message): the ts of each, per
-- incident, channel and key, recorded after the first post.
CREATE TABLE slack_thread_message (
  incident_id  BIGINT       NOT NULL,
  channel      VARCHAR(200) NOT NULL,
  message_key  VARCHAR(200) NOT NULL,
  channel_id   TEXT         NOT NULL,
  ts           TEXT         NOT NULL,
  PRIMARY KEY (incident_id, channel, message_key)
);
