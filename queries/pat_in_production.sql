-- pat_in_production: an enterprise-side PAT. The guide advises PATs only for tests and
-- debugging, with tight scope and expiry (建议仅在测试环境、调试场景中使用个人访问令牌).
-- Remedy: use a JWT app (AppAuth) for production callers.
-- Parameters: :run_id (integer).
-- Columns: the finding columns; see queries/README.md.
SELECT
  'pat_in_production:' || c.name AS key,
  'pat_in_production' AS kind,
  'low' AS severity,
  NULL AS resource_type, NULL AS resource_id,
  c.name AS credential, NULL AS endpoint, NULL AS code, NULL AS reason, NULL AS count,
  '[]' AS seen_by,
  json_object('fingerprint', rc.fingerprint, 'status', rc.status) AS details
FROM run_credential rc JOIN credential c ON c.id = rc.credential_id
WHERE rc.run_id = :run_id AND rc.side = 'enterprise' AND rc.auth = 'pat'
ORDER BY credential;
