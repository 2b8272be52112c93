-- Issue 16: /alertdesk slash command invocations received, keyed so that a Socket Mode
-- redelivery (the same envelope after a dropped connection, maybe to another replica) runs once.
-- Rows older than a day are deleted as new ones arrive. Runs on SQLite and PostgreSQL.
CREATE TABLE slack_command (
  command_key  TEXT   NOT NULL PRIMARY KEY,
  received_at  BIGINT NOT NULL
);
CREATE INDEX slack_command_received ON slack_command (received_at);
