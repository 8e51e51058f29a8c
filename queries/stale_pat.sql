-- stale_pat: personal-side PATs that can be deleted (docs/product.md §3).
--   reason 'invalid':    the identity step rejected the token with an answer: users/me said 4100 or
--                        700012006 (or HTTP 401 with a Coze envelope), or the token was rejected
--                        with 4100 mid-run after it had answered. A 4101 never makes a PAT invalid,
--                        whatever its message, and a response without an envelope is no answer.
--   reason 'superseded': users/me answered code 0, at least one listing answered code 0, no listing
--                        failed in this run, and every resource it sees is also seen by some
--                        enterprise credential; its 4101 listings are named in details.not_observed.
-- Evidence required (docs/evidence.md): an answer from Coze. Deleting a PAT is destructive, so a PAT
-- whose requests were not answered (gateway page, timeout, refused connection) gets no finding,
-- and a failed run computes none.
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
        AND EXISTS (SELECT 1 FROM listing l WHERE l.run_id = rc.run_id AND l.credential_id = rc.credential_id
                    AND l.kind = 'user' AND l.endpoint = 'GET /v1/users/me' AND l.status = 'ok')
        AND EXISTS (SELECT 1 FROM listing l WHERE l.run_id = rc.run_id AND l.credential_id = rc.credential_id
                    AND l.kind <> 'user' AND l.status = 'ok')
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
