public enum AuditQueries {}
