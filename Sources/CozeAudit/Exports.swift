/// The finding kinds and the `Finding` record live with their SQL in `AuditQueries`
/// (queries/FindingKind.swift); whoever uses CozeAudit sees them as its own.
@_exported import AuditQueries
