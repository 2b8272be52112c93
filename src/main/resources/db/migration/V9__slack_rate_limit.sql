-- The per-channel Slack budget shared by every replica (issue 13 item 6): one row per channel,
-- its token bucket as Bucket4j's PostgreSQL backend stores it (id = 'slack-channel:' + channel,
-- state = Bucket4j's serialized bucket, read and written with SELECT ... FOR UPDATE). Only
-- PostgreSQL uses it; on SQLite (one replica) the budget stays in the process and the table
-- stays empty (SQLite accepts the type name BYTEA).

CREATE TABLE slack_rate_limit (
  id     VARCHAR(256) NOT NULL PRIMARY KEY,
  state  BYTEA
);

-- Issue 13 item 7: a parent post whose outcome is unknown looks for its message in the channel's
-- history, which takes a channel ID; a channel configured by name is resolved to the ID Slack
-- answered for an earlier post to it.
CREATE INDEX slack_message_channel ON slack_message (channel, posted_at);
