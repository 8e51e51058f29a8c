-- obo_cannot_use_grant: an enterprise-side OAuth user (OBO) credential. The grant to reach
-- personal-account resources applies to PATs and JWT apps only (仅支持 PAT 和 AppAuth 授权，不支持 OBO 授权),
-- so this credential will never see conversations or voices left with the personal account.
-- Remedy: use an enterprise PAT or JWT app for account-level resources.
-- Parameters: :run_id (integer).
-- Columns: the finding columns; see queries/README.md.
SELECT
  'obo_cannot_use_grant:' || c.name AS key,
  'obo_cannot_use_grant' AS kind,
  'medium' AS severity,
  NULL AS resource_type, NULL AS resource_id,
  c.name AS credential, NULL AS endpoint, NULL AS code, NULL AS reason, NULL AS count,
  '[]' AS seen_by,
  json_object('fingerprint', rc.fingerprint) AS details
FROM run_credential rc JOIN credential c ON c.id = rc.credential_id
WHERE rc.run_id = :run_id AND rc.side = 'enterprise' AND rc.auth = 'oauth'
ORDER BY credential;
