import Foundation
import Logging

/// Logs go to stderr at `warning` unless COZE_AUDIT_LOG_LEVEL says otherwise (trace … critical),
/// so cron mail carries only the report and real problems. Log lines never contain a token: the
/// client and crawler log endpoints, codes and log ids only.
enum LogSetup {
    static func bootstrap() {
        let level = ProcessInfo.processInfo.environment["COZE_AUDIT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = label.hasPrefix("coze-simulator") ? max(level, .error) : level
            return handler
        }
    }
}
