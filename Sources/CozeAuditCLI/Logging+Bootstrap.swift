import CozeAudit
import Foundation
import Logging
import Synchronization

/// Log lines go to stderr at the level of `COZE_AUDIT_LOG_LEVEL` (trace … critical), else of the
/// config's `log_level:`, else `error`: by default a run writes nothing on stderr but one line per
/// cause of an incomplete run (the summary is on stdout), so cron mail carries the report and real
/// problems only. Log lines never contain a token: the client and crawler log endpoints, codes and
/// log ids only.
enum LogSetup {
    static let defaultLevel = Logger.Level.error
    private static let level = Mutex<Logger.Level>(defaultLevel)

    static var environmentLevel: Logger.Level? {
        ProcessInfo.processInfo.environment["COZE_AUDIT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
    }

    static func bootstrap() {
        level.withLock { $0 = environmentLevel ?? defaultLevel }
        // Each logger takes the level current when it is made; the run's loggers are made after the
        // config is loaded (``apply(configLevel:)``).
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            let current = level.withLock { $0 }
            handler.logLevel = label.hasPrefix("coze-simulator") ? max(current, .error) : current
            return handler
        }
    }

    /// The config's `log_level:`, unless `COZE_AUDIT_LOG_LEVEL` is set (it wins).
    static func apply(configLevel: String?) {
        guard environmentLevel == nil, let configLevel, let configured = Logger.Level(rawValue: configLevel) else { return }
        level.withLock { $0 = configured }
    }
}
