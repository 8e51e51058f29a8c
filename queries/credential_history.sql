-- credential_history: one row per credential over every stored run, like the AWS credential
-- report: when it was first seen, the last run where it was valid, since when it is invalid,
-- its current fingerprint (and whether it changed), and its request success over runs.
-- Parameters: :run_id (integer): history up to and including this run.
-- Columns: credential, side, auth, fingerprint, fingerprint_changed_in_run, first_seen_run,
--   last_valid_run, invalid_since_run, runs, requests, failed_requests, success_rate.
WITH hist AS (
  SELECT rc.*, c.name FROM run_credential rc JOIN credential c ON c.id = rc.credential_id
  JOIN run r ON r.id = rc.run_id
  WHERE rc.run_id <= :run_id AND r.status <> 'running'
),
latest AS (
  SELECT h.* FROM hist h WHERE h.run_id = (SELECT max(run_id) FROM hist x WHERE x.credential_id = h.credential_id)
)
SELECT
  l.name AS credential, l.side, l.auth, l.fingerprint,
  -- The first run with the current fingerprint after the last run with another one (run ids may skip).
  (SELECT min(h.run_id) FROM hist h WHERE h.credential_id = l.credential_id AND h.fingerprint = l.fingerprint
     AND h.run_id > (SELECT max(v.run_id) FROM hist v WHERE v.credential_id = l.credential_id AND v.fingerprint <> l.fingerprint))
    AS fingerprint_changed_in_run,
  (SELECT min(h.run_id) FROM hist h WHERE h.credential_id = l.credential_id) AS first_seen_run,
  (SELECT max(h.run_id) FROM hist h WHERE h.credential_id = l.credential_id AND h.status = 'ok') AS last_valid_run,
  CASE WHEN l.status = 'invalid' THEN
    (SELECT min(h.run_id) FROM hist h WHERE h.credential_id = l.credential_id AND h.status = 'invalid'
       AND h.run_id > COALESCE((SELECT max(v.run_id) FROM hist v WHERE v.credential_id = l.credential_id AND v.status <> 'invalid'), 0))
  END AS invalid_since_run,
  (SELECT count(*) FROM hist h WHERE h.credential_id = l.credential_id) AS runs,
  (SELECT sum(h.requests) FROM hist h WHERE h.credential_id = l.credential_id) AS requests,
  (SELECT sum(h.failed_requests) FROM hist h WHERE h.credential_id = l.credential_id) AS failed_requests,
  (SELECT CASE WHEN sum(h.requests) > 0
     THEN round(100.0 * (sum(h.requests) - sum(h.failed_requests)) / sum(h.requests), 1) END
   FROM hist h WHERE h.credential_id = l.credential_id) AS success_rate
FROM latest l
ORDER BY credential;
