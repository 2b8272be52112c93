-- History and insights (issue 6): indexes for the incident search, the insights over a period and
-- the retention purge. No new tables: history reads what the core already stores.

CREATE INDEX incident_started ON incident (started_at);
CREATE INDEX incident_alertname ON incident (alertname, id);
CREATE INDEX incident_resolved ON incident (resolved_at);
CREATE INDEX alert_occurrence_started ON alert_occurrence (starts_at);
CREATE INDEX incident_event_at ON incident_event (at);
CREATE INDEX outbox_incident ON outbox (incident_id, id);
