-- stale_pat: personal-side PATs that can be deleted (spec §3).
--   reason 'invalid':    the token is rejected (4100, HTTP 401, or a 4101 saying the token is wrong).
--   reason 'superseded': valid, and every resource it sees is also seen by some enterprise
--                        credential; its 4101 listings are named in details.not_observed.
--                        A PAT with a failed listing in this run is never called superseded.
-- Remedy: delete it on the Coze PAT page. Never applies to OAuth/JWT apps.
-- Parameters: :run_id (integer).
-- Columns: the finding columns; see queries/README.md.
SELECT
  'stale_pat:' || c.name AS key,
  'stale_pat' AS kind,
  CASE rc.status WHEN 'invalid' THEN 'medium' ELSE 'low' END AS severity,
  NULL AS resource_type, NULL AS resource_id,
  c.name AS credential, NULL AS endpoint, NULL AS code,
  CASE rc.status WHEN 'invalid' THEN 'invalid' ELSE 'superseded' END AS reason,
  (SELECT count(*) FROM sighting s JOIN resource r ON r.kind = s.kind AND r.id = s.resource_id
    WHERE s.run_id = rc.run_id AND s.credential_id = rc.credential_id AND r.is_system = 0) AS count,
  '[]' AS seen_by,
  json_object(
    'fingerprint', rc.fingerprint,
    'detail', rc.detail,
    'not_observed', (SELECT json_group_array(endpoint) FROM (
        SELECT DISTINCT l.endpoint FROM listing l
        WHERE l.run_id = rc.run_id AND l.credential_id = rc.credential_id AND l.status = 'denied'
        ORDER BY l.endpoint))
  ) AS details
FROM run_credential rc
JOIN credential c ON c.id = rc.credential_id
WHERE rc.run_id = :run_id AND rc.side = 'personal' AND rc.auth = 'pat'
  AND (
    rc.status = 'invalid'
    OR (rc.status = 'ok'
        AND NOT EXISTS (SELECT 1 FROM listing l WHERE l.run_id = rc.run_id AND l.credential_id = rc.credential_id AND l.status IN ('error', 'invalid'))
        AND NOT EXISTS (
          SELECT 1 FROM sighting s
          JOIN resource r ON r.kind = s.kind AND r.id = s.resource_id
          WHERE s.run_id = rc.run_id AND s.credential_id = rc.credential_id AND r.is_system = 0
            AND NOT EXISTS (
              SELECT 1 FROM sighting e JOIN run_credential erc ON erc.run_id = e.run_id AND erc.credential_id = e.credential_id
              WHERE e.run_id = s.run_id AND e.kind = s.kind AND e.resource_id = s.resource_id AND erc.side = 'enterprise')))
  )
ORDER BY credential;
