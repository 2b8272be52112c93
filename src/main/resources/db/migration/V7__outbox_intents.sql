-- Issue 14: the outbox holds typed intents; the outbox worker composes each message from the
-- incident's current state when it sends it. Both databases run this file.
--   message      what the message says (MessageKind: parent, alerts_changed, storm, ...)
--   reason       why it is sent (opened, acknowledged, storm, ...)
--   params_json  what the message needs that is not current state (JSON object)
--   payload_json from now on the message as it was sent; '' until then
ALTER TABLE outbox ADD COLUMN message TEXT;
ALTER TABLE outbox ADD COLUMN reason TEXT;
ALTER TABLE outbox ADD COLUMN params_json TEXT;

-- Jobs still pending at the upgrade become intents. A parent post or update of a storm's anchor
-- incident in the storm's channel is the storm message: composed from the storm.
UPDATE outbox SET message = 'storm', reason = 'upgrade',
    params_json = (SELECT '{"storm_id":' || CAST(MAX(s.id) AS TEXT) || '}' FROM noise_storm s
        WHERE s.anchor_incident_id = outbox.incident_id AND s.channel = outbox.channel),
    payload_json = ''
  WHERE status = 'pending' AND kind IN ('PARENT_POST', 'PARENT_UPDATE')
    AND EXISTS (SELECT 1 FROM noise_storm s
        WHERE s.anchor_incident_id = outbox.incident_id AND s.channel = outbox.channel);

-- Any other parent is composed from the incident's current state (with the route's mention and
-- the flapping line of its channel).
UPDATE outbox SET message = 'parent', reason = 'upgrade', params_json = '{}', payload_json = ''
  WHERE status = 'pending' AND kind IN ('PARENT_POST', 'PARENT_UPDATE') AND message IS NULL;

-- A graph job already was an intent: its payload named the chart ({"chart":"firing"}).
UPDATE outbox SET message = 'graph', reason = 'upgrade', params_json = payload_json,
    payload_json = ''
  WHERE status = 'pending' AND kind = 'GRAPH';

-- A pending thread reply names its alerts only in its rendered text: it is sent as rendered.
-- Rows already sent, failed or kept as previews keep the message they hold.
UPDATE outbox SET message = 'prerendered', reason = 'upgrade', params_json = '{}'
  WHERE message IS NULL;
