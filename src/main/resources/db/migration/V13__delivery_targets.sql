-- Issue 17: the outbox serves several delivery targets (Slack, e-mail, Sentry). Each row names
-- the target whose worker claims it; every row written before is a Slack call. Both databases
-- run this file.
ALTER TABLE outbox ADD COLUMN target TEXT NOT NULL DEFAULT 'slack';
CREATE INDEX outbox_target_pending ON outbox (target, status, incident_id, id);
