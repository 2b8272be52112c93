-- Enrichment jobs (issue 14 item 3): the current value and the graph of an incident's query,
-- rendered and stored for every opened, reopened and resolved incident whether Slack delivery is
-- on or off. Written in the ingest transaction, run by the enrichment worker; a Slack graph
-- upload reuses the chart a job stored. One row per incident, chart kind (firing, resolved) and
-- episode (the incident's reopen_count), so no chart is rendered twice for one of them.
-- Times are UTC epoch milliseconds. (V7 is left to the outbox migration of the same issue.)

CREATE TABLE enrichment_job (
  id               ${id_column},
  incident_id      BIGINT  NOT NULL REFERENCES incident (id),
  kind             TEXT    NOT NULL,
  episode          INTEGER NOT NULL,
  status           TEXT    NOT NULL,
  attempts         INTEGER NOT NULL,
  next_attempt_at  BIGINT  NOT NULL,
  created_at       BIGINT  NOT NULL,
  locked_until     BIGINT,
  locked_by        TEXT,
  chart_id         TEXT,
  caption          TEXT,
  value_line       TEXT,
  degraded_reason  TEXT,
  note             TEXT,
  finished_at      BIGINT,
  UNIQUE (incident_id, kind, episode)
);
CREATE INDEX enrichment_job_due ON enrichment_job (status, next_attempt_at);
