-- enterprise_permission_gap: a listing endpoint that answers 4101 to an enterprise credential
-- for its own listing (it lacks the permission point) while the same endpoint succeeds for a
-- personal credential in the run (spec §3). Remedy: add the missing permission point.
-- A not-found (4200) is not a gap: only 4101 (or a bare HTTP 403) counts.
-- Only listings of parents the credential listed itself are crawled, so a 4101 here is about
-- the credential, not one resource it was never shown.
-- Parameters: :run_id (integer).
-- Columns: the finding columns (count = denied listings; details.logid = one of their log ids); see queries/README.md.
SELECT
  'enterprise_permission_gap:' || c.name || ':' || l.endpoint AS key,
  'enterprise_permission_gap' AS kind,
  'high' AS severity,
  NULL AS resource_type, NULL AS resource_id,
  c.name AS credential, l.endpoint AS endpoint, max(l.code) AS code, NULL AS reason,
  count(*) AS count,
  '[]' AS seen_by,
  json_object('message', max(l.message), 'logid', max(l.logid),
              'personal_ok', (SELECT json_group_array(DISTINCT pc.name) FROM listing p
                               JOIN run_credential prc ON prc.run_id = p.run_id AND prc.credential_id = p.credential_id
                               JOIN credential pc ON pc.id = p.credential_id
                               WHERE p.run_id = l.run_id AND p.endpoint = l.endpoint AND p.status = 'ok' AND prc.side = 'personal')) AS details
FROM listing l
JOIN run_credential rc ON rc.run_id = l.run_id AND rc.credential_id = l.credential_id
JOIN credential c ON c.id = l.credential_id
WHERE l.run_id = :run_id AND rc.side = 'enterprise' AND l.status = 'denied' AND l.kind <> 'user'
  AND (l.code = 4101 OR (l.code IS NULL AND l.http_status = 403))
  AND EXISTS (
    SELECT 1 FROM listing p JOIN run_credential prc ON prc.run_id = p.run_id AND prc.credential_id = p.credential_id
    WHERE p.run_id = l.run_id AND p.endpoint = l.endpoint AND p.status = 'ok' AND prc.side = 'personal')
GROUP BY c.name, l.endpoint
ORDER BY credential, endpoint;
