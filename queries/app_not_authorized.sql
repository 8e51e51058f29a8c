-- app_not_authorized: a JWT app whose token request for its enterprise_id / account_id is
-- refused by the token endpoint (spec §3b).
-- Remedy (guide, AppAuth step 1): share the app's link from the personal edition; an enterprise
-- admin authorizes it with scope "enterprise" and "all workspaces", then confirms it on the
-- app-installation page.
-- Parameters: :run_id (integer).
-- Columns: the finding columns; see queries/README.md.
SELECT
  'app_not_authorized:' || c.name AS key,
  'app_not_authorized' AS kind,
  'high' AS severity,
  NULL AS resource_type, NULL AS resource_id,
  c.name AS credential, l.endpoint AS endpoint, l.code AS code, l.status AS reason, NULL AS count,
  '[]' AS seen_by,
  json_object('message', l.message, 'logid', l.logid, 'fingerprint', rc.fingerprint) AS details
FROM run_credential rc
JOIN credential c ON c.id = rc.credential_id
JOIN listing l ON l.run_id = rc.run_id AND l.credential_id = rc.credential_id
WHERE rc.run_id = :run_id AND rc.auth = 'jwt'
  AND l.kind = 'user' AND l.endpoint LIKE 'POST /api/permission/oauth2/%' AND l.status IN ('invalid', 'denied')
ORDER BY credential;
