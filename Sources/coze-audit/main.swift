import CozeAuditCLI

// The whole command line lives in CozeAuditCLI (a library, so tests parse and map errors without
// spawning this binary); the executable is only its entry point.
await CozeAuditCommand.entryPoint()
