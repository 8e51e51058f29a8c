-- workspace_scope_gap: an enterprise credential that does not see an enterprise workspace that
-- another credential sees; one finding per (credential, workspace) (docs/product.md §3b).
-- An enterprise workspace is one some enterprise credential sees, or whose payload names an enterprise_id.
-- Evidence required (docs/evidence.md): the enterprise credential's own workspace listing answered
-- code 0 (a denied, failed or missing listing leaves it out), and another credential sees the
-- workspace. A workspace it sees but whose bots were denied (4101) is not a scope gap.
-- Remedy: a PAT valid for all workspaces of the enterprise, or re-authorize the app with
-- "all workspaces" (so workspaces created later are covered too).
-- Parameters: :run_id (integer).
-- Columns: the finding columns; see queries/README.md.
WITH enterprise_workspace AS (
  SELECT DISTINCT s.resource_id AS id
  FROM sighting s JOIN run_credential rc ON rc.run_id = s.run_id AND rc.credential_id = s.credential_id
  WHERE s.run_id = :run_id AND s.kind = 'workspace'
    AND (rc.side = 'enterprise' OR COALESCE(json_extract(s.payload, '$.enterprise_id'), '') <> '')
),
enterprise_credential AS (
  SELECT rc.credential_id, c.name FROM run_credential rc JOIN credential c ON c.id = rc.credential_id
  WHERE rc.run_id = :run_id AND rc.side = 'enterprise' AND rc.status = 'ok'
    AND NOT EXISTS (SELECT 1 FROM blind_spot b WHERE b.run_id = rc.run_id AND b.credential_id = rc.credential_id AND b.kind = 'workspace')
    AND NOT EXISTS (SELECT 1 FROM listing l WHERE l.run_id = rc.run_id AND l.credential_id = rc.credential_id
                    AND l.kind = 'workspace' AND l.status <> 'ok')
)
SELECT
  'workspace_scope_gap:' || ec.name || ':' || w.id AS key,
  'workspace_scope_gap' AS kind,
  'medium' AS severity,
  'workspace' AS resource_type, w.id AS resource_id,
  ec.name AS credential, NULL AS endpoint, NULL AS code, NULL AS reason, NULL AS count,
  (SELECT json_group_array(c.name) FROM sighting s JOIN credential c ON c.id = s.credential_id
    WHERE s.run_id = :run_id AND s.kind = 'workspace' AND s.resource_id = w.id) AS seen_by,
  json_object('name', r.name) AS details
FROM enterprise_credential ec
CROSS JOIN enterprise_workspace w
JOIN resource r ON r.kind = 'workspace' AND r.id = w.id
WHERE NOT EXISTS (SELECT 1 FROM sighting s WHERE s.run_id = :run_id AND s.credential_id = ec.credential_id
                  AND s.kind = 'workspace' AND s.resource_id = w.id)
ORDER BY credential, resource_id;
