-- Rendered graphs (issue 3). The PNG lives in STORAGE_DIR/charts/<file_name>; the row ties it
-- to its incident so the history can list it and retention can delete both. id is random
-- (128 bits, hex), never derived from the incident. Times are UTC epoch milliseconds.

CREATE TABLE chart (
  id           TEXT    NOT NULL PRIMARY KEY,
  incident_id  BIGINT  NOT NULL REFERENCES incident (id),
  kind         TEXT    NOT NULL,
  created_at   BIGINT  NOT NULL,
  file_name    TEXT    NOT NULL,
  query        TEXT    NOT NULL,
  outbox_id    BIGINT
);
CREATE INDEX chart_incident ON chart (incident_id, created_at);
CREATE INDEX chart_outbox ON chart (outbox_id);
