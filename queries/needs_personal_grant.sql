-- needs_personal_grant: account-level resources (API conversations, custom voices) that a
-- personal credential sees and no enterprise credential sees in the run (spec §3).
-- Remedy: grant the enterprise token access to personal-account resources, or recreate them.
-- Parameters: :run_id (integer).
-- Columns: the finding columns (key, kind, severity, resource_type, resource_id, credential,
--   endpoint, code, reason, count, seen_by, details); see queries/README.md.
-- A resource of a kind that an enterprise credential could not list in this run (a failed
-- listing: blind_spot) is unknown, not invisible, and is left out.
WITH seen AS (
  SELECT kind, resource_id, credential, side FROM sighting_by_side
  WHERE run_id = :run_id AND kind IN ('conversation', 'voice')
)
SELECT
  'needs_personal_grant:' || seen.kind || ':' || seen.resource_id AS key,
  'needs_personal_grant' AS kind,
  'high' AS severity,
  seen.kind AS resource_type,
  seen.resource_id AS resource_id,
  NULL AS credential, NULL AS endpoint, NULL AS code, NULL AS reason, NULL AS count,
  json_group_array(seen.credential) AS seen_by,
  json_object('name', r.name, 'parent_id', r.parent_id) AS details
FROM seen
JOIN resource r ON r.kind = seen.kind AND r.id = seen.resource_id
WHERE r.is_system = 0
  AND NOT EXISTS (
    SELECT 1 FROM seen e WHERE e.kind = seen.kind AND e.resource_id = seen.resource_id AND e.side = 'enterprise')
  AND NOT EXISTS (
    SELECT 1 FROM blind_spot b JOIN run_credential rc ON rc.run_id = b.run_id AND rc.credential_id = b.credential_id
    WHERE b.run_id = :run_id AND b.kind = seen.kind AND rc.side = 'enterprise')
GROUP BY seen.kind, seen.resource_id
ORDER BY resource_type, resource_id;
