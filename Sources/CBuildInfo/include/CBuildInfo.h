#ifndef COZE_AUDIT_CBUILDINFO_H
#define COZE_AUDIT_CBUILDINFO_H

/// The commit scripts/release built from (COZE_AUDIT_COMMIT, see Package.swift), or "" for any
/// other build.
const char *coze_audit_build_commit(void);

#endif
