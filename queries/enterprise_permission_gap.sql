-- enterprise_permission_gap: a listing endpoint that an enterprise credential lacks the permission
-- point for, while the same endpoint succeeds for a personal credential in the run (docs/product.md §3).
-- Remedy: add the missing permission point.
-- Evidence required (docs/evidence.md): 4101 answers with a Coze envelope (a bare HTTP 403 from a
-- gateway is no answer; a 4200 "not found" is about one parent, not the credential), and the
-- denial must be endpoint-wide:
--   - account-level endpoints (no parent: GET /v1/workspaces, GET /v1/audio/voices): one 4101;
--   - GET /v1/bots (parent: a workspace) and GET /v1/conversations (parent: a bot, grouped by the
--     bot's workspace): 4101 for parents in at least two workspaces, and no listing of that
--     endpoint succeeded for the same credential in the run.
-- A 4101 for some workspaces only is "not observed (workspace listed, its listing denied)".
-- Parameters: :run_id (integer).
-- Columns: the finding columns (count = denied listings; details.logid = one of their log ids); see queries/README.md.
WITH denied AS (
  SELECT l.run_id, l.credential_id, l.endpoint, l.code, l.message, l.logid,
    CASE l.kind
      WHEN 'bot' THEN l.parent_id
      WHEN 'app' THEN l.parent_id
      WHEN 'workflow' THEN l.parent_id
      WHEN 'conversation' THEN (SELECT r.parent_id FROM resource r WHERE r.kind = 'bot' AND r.id = l.parent_id)
      ELSE NULL END AS workspace_id,
    l.parent_id = '' AS account_level
  FROM listing l
  JOIN run_credential rc ON rc.run_id = l.run_id AND rc.credential_id = l.credential_id
  WHERE l.run_id = :run_id AND rc.side = 'enterprise' AND l.status = 'denied' AND l.kind <> 'user' AND l.code = 4101
)
SELECT
  'enterprise_permission_gap:' || c.name || ':' || d.endpoint AS key,
  'enterprise_permission_gap' AS kind,
  'high' AS severity,
  NULL AS resource_type, NULL AS resource_id,
  c.name AS credential, d.endpoint AS endpoint, max(d.code) AS code, NULL AS reason,
  count(*) AS count,
  '[]' AS seen_by,
  json_object('message', max(d.message), 'logid', max(d.logid),
              'workspaces', count(DISTINCT d.workspace_id),
              'personal_ok', (SELECT json_group_array(DISTINCT pc.name) FROM listing p
                               JOIN run_credential prc ON prc.run_id = p.run_id AND prc.credential_id = p.credential_id
                               JOIN credential pc ON pc.id = p.credential_id
                               WHERE p.run_id = d.run_id AND p.endpoint = d.endpoint AND p.status = 'ok' AND prc.side = 'personal')) AS details
FROM denied d
JOIN credential c ON c.id = d.credential_id
WHERE EXISTS (
    SELECT 1 FROM listing p JOIN run_credential prc ON prc.run_id = p.run_id AND prc.credential_id = p.credential_id
    WHERE p.run_id = d.run_id AND p.endpoint = d.endpoint AND p.status = 'ok' AND prc.side = 'personal')
  AND NOT EXISTS (
    SELECT 1 FROM listing o WHERE o.run_id = d.run_id AND o.credential_id = d.credential_id AND o.endpoint = d.endpoint
      AND o.status = 'ok')
GROUP BY c.name, d.endpoint
HAVING max(d.account_level) = 1 OR count(DISTINCT d.workspace_id) >= 2
ORDER BY credential, endpoint;
