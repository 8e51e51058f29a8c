-- stranded: an account-level resource (conversation, custom voice) that a personal credential
-- saw in an earlier complete run within :window_days days, that no credential sees now, while
-- its bot is still seen (conversations) or a personal credential is still valid (voices) (docs/product.md §3b).
-- Typical right after a workspace migration. A kind that any credential failed to list in this
-- run is unknown, not stranded.
-- Evidence required (docs/evidence.md): an earlier personal sighting in a complete run, and an
-- answer now: for a conversation, some credential listed its bot's conversations successfully in
-- this run and none was denied that listing; for a voice, a personal credential listed voices
-- successfully and none was denied. A denial or a failure makes it unknown, not stranded.
-- Remedy: grant the enterprise access to personal-account resources, or create new conversations.
-- Parameters: :run_id (integer), :window_days (integer, default 30).
-- Columns: the finding columns (details.last_seen_run, details.last_seen_at); see queries/README.md.
WITH current AS (SELECT started_at FROM run WHERE id = :run_id),
earlier AS (
  SELECT s.kind, s.resource_id, max(s.run_id) AS last_run,
         json_group_array(DISTINCT c.name) AS seen_by
  FROM sighting s
  JOIN run r ON r.id = s.run_id
  JOIN run_credential rc ON rc.run_id = s.run_id AND rc.credential_id = s.credential_id
  JOIN credential c ON c.id = s.credential_id
  WHERE s.run_id < :run_id AND r.status = 'complete' AND rc.side = 'personal'
    AND s.kind IN ('conversation', 'voice')
    AND julianday(r.started_at) >= julianday((SELECT started_at FROM current)) - :window_days
  GROUP BY s.kind, s.resource_id
)
SELECT
  'stranded:' || e.kind || ':' || e.resource_id AS key,
  'stranded' AS kind,
  'high' AS severity,
  e.kind AS resource_type, e.resource_id AS resource_id,
  NULL AS credential, NULL AS endpoint, NULL AS code, NULL AS reason, NULL AS count,
  e.seen_by AS seen_by,
  json_object('name', res.name, 'parent_id', res.parent_id, 'last_seen_run', e.last_run,
              'last_seen_at', (SELECT started_at FROM run WHERE id = e.last_run)) AS details
FROM earlier e
JOIN resource res ON res.kind = e.kind AND res.id = e.resource_id
WHERE res.is_system = 0
  AND NOT EXISTS (SELECT 1 FROM sighting n WHERE n.run_id = :run_id AND n.kind = e.kind AND n.resource_id = e.resource_id)
  AND (
    (e.kind = 'conversation' AND EXISTS (
      SELECT 1 FROM sighting b WHERE b.run_id = :run_id AND b.kind = 'bot' AND b.resource_id = res.parent_id))
    OR (e.kind = 'voice' AND EXISTS (
      SELECT 1 FROM run_credential rc WHERE rc.run_id = :run_id AND rc.side = 'personal' AND rc.status = 'ok'))
  )
  AND NOT EXISTS (SELECT 1 FROM blind_spot b WHERE b.run_id = :run_id AND b.kind = e.kind)
  AND (
    (e.kind = 'conversation'
      AND EXISTS (SELECT 1 FROM listing l WHERE l.run_id = :run_id AND l.kind = 'conversation'
                  AND l.parent_id = res.parent_id AND l.status = 'ok')
      AND NOT EXISTS (SELECT 1 FROM listing l WHERE l.run_id = :run_id AND l.kind = 'conversation'
                      AND l.parent_id = res.parent_id AND l.status = 'denied'))
    OR (e.kind = 'voice'
      AND EXISTS (SELECT 1 FROM listing l JOIN run_credential rc ON rc.run_id = l.run_id AND rc.credential_id = l.credential_id
                  WHERE l.run_id = :run_id AND l.kind = 'voice' AND l.status = 'ok' AND rc.side = 'personal')
      AND NOT EXISTS (SELECT 1 FROM listing l JOIN run_credential rc ON rc.run_id = l.run_id AND rc.credential_id = l.credential_id
                      WHERE l.run_id = :run_id AND l.kind = 'voice' AND l.status = 'denied' AND rc.side = 'personal'))
  )
ORDER BY resource_type, resource_id;
