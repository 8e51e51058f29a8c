-- app_not_authorized: a JWT app whose token request for its enterprise_id / account_id is
-- refused by the token endpoint (docs/product.md §3b).
-- Remedy (guide, AppAuth step 1): share the app's link from the personal edition; an enterprise
-- admin authorizes it with scope "enterprise" and "all workspaces", then confirms it on the
-- app-installation page.
-- Evidence required (docs/evidence.md): an answer from the token endpoint (an OAuth error such as
-- access_deny or invalid_client). A gateway page, an empty body or a timeout is no answer: silent.
-- reason: 'denied' (access_deny on every documented path tried), 'invalid' (the app's key or id was
-- rejected), or 'other_path_works': the configured /enterprise_id/{id}/token path refused while the
-- other documented path /account/{id}/token served a token (details.served_by) — which path a
-- migrated app must use is not documented, so the admin's authorization is not blamed.
-- Parameters: :run_id (integer).
-- Columns: the finding columns; see queries/README.md.
SELECT
  'app_not_authorized:' || c.name AS key,
  'app_not_authorized' AS kind,
  'high' AS severity,
  NULL AS resource_type, NULL AS resource_id,
  c.name AS credential, l.endpoint AS endpoint, l.code AS code,
  CASE WHEN l.note LIKE 'served by %' THEN 'other_path_works' ELSE l.status END AS reason, NULL AS count,
  '[]' AS seen_by,
  json_object('message', l.message, 'logid', l.logid, 'fingerprint', rc.fingerprint,
              'served_by', CASE WHEN l.note LIKE 'served by %' THEN substr(l.note, 11) END) AS details
FROM run_credential rc
JOIN credential c ON c.id = rc.credential_id
JOIN listing l ON l.run_id = rc.run_id AND l.credential_id = rc.credential_id
WHERE rc.run_id = :run_id AND rc.auth = 'jwt'
  AND l.kind = 'user' AND l.endpoint LIKE 'POST /api/permission/oauth2/%' AND l.status IN ('invalid', 'denied')
ORDER BY credential;
