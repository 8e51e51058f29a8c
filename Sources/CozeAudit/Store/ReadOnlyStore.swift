import Foundation
import GRDB

/// Opens the database for reading only (`report`, `query`, `runs`, `diff`): SQLite itself
/// refuses every write on this connection, whatever SQL a user types.
public enum ReadOnlyStore {
    public static func open(path: String) throws -> AuditStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.open(path: path, underlying: CocoaError(.fileNoSuchFile))
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        do {
            return AuditStore(writer: try DatabaseQueue(path: path, configuration: configuration), path: path)
        } catch {
            throw StoreError.open(path: path, underlying: error)
        }
    }
}

extension AuditStore {
    convenience init(writer: any DatabaseWriter, path: String? = nil) {
        self.init(uncheckedWriter: writer, path: path)
    }
}
