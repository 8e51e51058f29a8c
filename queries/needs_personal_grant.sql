-- needs_personal_grant: account-level resources (API conversations, custom voices) that a
-- personal credential sees and no enterprise credential sees in the run (docs/product.md §3).
-- Remedy: grant the enterprise token access to personal-account resources, or recreate them.
-- Parameters: :run_id (integer).
-- Columns: the finding columns (key, kind, severity, resource_type, resource_id, credential,
--   endpoint, code, reason, count, seen_by, details); see queries/README.md.
-- Evidence required (docs/evidence.md): a personal sighting, and an enterprise observation of the
-- same kind that answered — "no enterprise credential sees it" must come from an answer:
--   - some enterprise credential listed this kind successfully in the run;
--   - no enterprise listing of this kind failed (blind_spot: unknown, not invisible);
--   - if an enterprise credential was denied (4101) the very listing that could show it (the
--     voices, or the conversations of its bot, or the bots of that bot's workspace), another
--     enterprise credential listed it successfully.
-- Otherwise the grant is not proven to be what is missing: silent (a permission gap says what first).
WITH seen AS (
  SELECT kind, resource_id, credential, side FROM sighting_by_side
  WHERE run_id = :run_id AND kind IN ('conversation', 'voice')
),
-- The listings that answered an enterprise credential (by kind and parent), read once: the rules
-- below look them up per resource, and a correlated scan of every listing per resource is
-- quadratic on a tenant with many denied listings.
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
  AND EXISTS (
    SELECT 1 FROM enterprise_answered ea WHERE ea.kind = seen.kind AND ea.status = 'ok')
  AND NOT EXISTS (
    SELECT 1 FROM enterprise_denied_only edo
    WHERE edo.kind = seen.kind
      AND edo.parent_id = CASE seen.kind WHEN 'conversation' THEN COALESCE(r.parent_id, '') ELSE '' END)
  -- A conversation whose bot's workspace had its bots listing denied to the enterprise was never
  -- looked for there: the same rule one level up.
  AND NOT (seen.kind = 'conversation' AND EXISTS (
    SELECT 1 FROM enterprise_denied_only edo
    WHERE edo.kind = 'bot'
      AND edo.parent_id = (SELECT b.parent_id FROM resource b WHERE b.kind = 'bot' AND b.id = r.parent_id)))
GROUP BY seen.kind, seen.resource_id
ORDER BY resource_type, resource_id;
