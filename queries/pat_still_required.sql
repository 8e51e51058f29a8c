-- pat_still_required: valid personal-side PATs that see at least one resource no enterprise
-- credential sees in the run, with that count (docs/product.md §3). They must not be deleted yet.
-- Evidence required (docs/evidence.md): its own sightings (successful listings) and an answered
-- identity step (status ok). "Keep it" destroys nothing, so the resources count even where the
-- enterprise side was denied; a PAT whose identity step was not answered gets no finding.
-- Parameters: :run_id (integer).
-- Columns: the finding columns (count = exclusive resources; details.by_kind splits it); see queries/README.md.
WITH exclusive AS (
  SELECT s.credential_id, s.kind, count(*) AS n
  FROM sighting s
  JOIN resource r ON r.kind = s.kind AND r.id = s.resource_id
  WHERE s.run_id = :run_id AND r.is_system = 0
    AND NOT EXISTS (
      SELECT 1 FROM sighting e JOIN run_credential erc ON erc.run_id = e.run_id AND erc.credential_id = e.credential_id
      WHERE e.run_id = s.run_id AND e.kind = s.kind AND e.resource_id = s.resource_id AND erc.side = 'enterprise')
  GROUP BY s.credential_id, s.kind
)
SELECT
  'pat_still_required:' || c.name AS key,
  'pat_still_required' AS kind,
  'info' AS severity,
  NULL AS resource_type, NULL AS resource_id,
  c.name AS credential, NULL AS endpoint, NULL AS code, NULL AS reason,
  sum(x.n) AS count,
  '[]' AS seen_by,
  json_object('fingerprint', rc.fingerprint, 'by_kind', json_group_object(x.kind, x.n)) AS details
FROM run_credential rc
JOIN credential c ON c.id = rc.credential_id
JOIN exclusive x ON x.credential_id = rc.credential_id
WHERE rc.run_id = :run_id AND rc.side = 'personal' AND rc.auth = 'pat' AND rc.status = 'ok'
GROUP BY rc.credential_id
ORDER BY credential;
