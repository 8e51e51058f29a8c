-- not_visible_to_enterprise: workspace-level resources (workspaces, bots, apps, workflows) that a personal
-- credential sees and no enterprise credential sees in the run (docs/product.md §3).
-- Remedy: migrate the workspace into the enterprise, or widen the enterprise token to all workspaces.
-- Parameters: :run_id (integer).
-- Columns: the finding columns; see queries/README.md.
-- Evidence required (docs/evidence.md): a personal sighting, and an enterprise answer:
--   - some enterprise credential listed its workspaces successfully in the run;
--   - no enterprise listing of this kind failed (blind_spot: unknown, not invisible);
--   - for a bot, app or workflow: if an enterprise credential was denied (4101) that listing in its
--     workspace, another enterprise credential listed it successfully (a denied listing is "not observed");
--   - for an app or workflow: some enterprise credential listed that kind successfully somewhere in the
--     run. Credentials made before apps and workflows were listable often lack listApp/listWorkflow
--     (the permission gap says so); without one answer of the kind, even a workflow of a workspace
--     the enterprise does not list is not claimed invisible: migrating the workspace would not show it.
WITH seen AS (
  SELECT kind, resource_id, credential, side FROM sighting_by_side
  WHERE run_id = :run_id AND kind IN ('workspace', 'bot', 'app', 'workflow')
),
-- The listings that answered an enterprise credential (by kind and parent), read once rather than
-- scanned per resource (see needs_personal_grant.sql).
enterprise_answered AS (
  SELECT DISTINCT l.kind, l.parent_id, l.status
  FROM listing l JOIN run_credential rc ON rc.run_id = l.run_id AND rc.credential_id = l.credential_id
  WHERE l.run_id = :run_id AND l.status IN ('ok', 'denied') AND rc.side = 'enterprise'
),
-- Denied (4101) to an enterprise credential and listed by none: (kind, parent) never looked in.
enterprise_denied_only AS (
  SELECT kind, parent_id FROM enterprise_answered WHERE status = 'denied'
  EXCEPT
  SELECT kind, parent_id FROM enterprise_answered WHERE status = 'ok'
)
SELECT
  'not_visible_to_enterprise:' || seen.kind || ':' || seen.resource_id AS key,
  'not_visible_to_enterprise' AS kind,
  'medium' AS severity,
  seen.kind AS resource_type,
  seen.resource_id AS resource_id,
  NULL AS credential, NULL AS endpoint, NULL AS code, NULL AS reason, NULL AS count,
  json_group_array(seen.credential) AS seen_by,
  json_object('name', r.name, 'parent_id', r.parent_id) AS details
FROM seen
JOIN resource r ON r.kind = seen.kind AND r.id = seen.resource_id
WHERE NOT EXISTS (
    SELECT 1 FROM seen e WHERE e.kind = seen.kind AND e.resource_id = seen.resource_id AND e.side = 'enterprise')
  AND NOT EXISTS (
    SELECT 1 FROM blind_spot b JOIN run_credential rc ON rc.run_id = b.run_id AND rc.credential_id = b.credential_id
    WHERE b.run_id = :run_id AND b.kind = seen.kind AND rc.side = 'enterprise')
  AND EXISTS (
    SELECT 1 FROM enterprise_answered ea WHERE ea.kind = 'workspace' AND ea.status = 'ok')
  AND (seen.kind NOT IN ('app', 'workflow') OR EXISTS (
    SELECT 1 FROM enterprise_answered ea WHERE ea.kind = seen.kind AND ea.status = 'ok'))
  AND NOT EXISTS (
    SELECT 1 FROM enterprise_denied_only edo
    WHERE edo.kind = seen.kind
      AND edo.parent_id = CASE seen.kind WHEN 'workspace' THEN '' ELSE COALESCE(r.parent_id, '') END)
GROUP BY seen.kind, seen.resource_id
ORDER BY resource_type, resource_id;
