public enum AuditReports {}
