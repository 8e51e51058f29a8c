#include "CBuildInfo.h"

#ifndef COZE_AUDIT_COMMIT
#define COZE_AUDIT_COMMIT ""
#endif

const char *coze_audit_build_commit(void) { return COZE_AUDIT_COMMIT; }
