import CozeAudit
import Foundation

/// The folder `demo` writes into: created when missing, marked as the demo's own, and on the next
/// demo cleared of the demo's files (and only those); a non-empty folder the demo did not create
/// is refused before anything is written.
struct DemoFolder {
    /// The folder's absolute, standardized path.
    let path: String

    static let defaultPath = "coze-audit-demo"
    /// Present in every folder the demo created or adopted (an empty one).
    static let markerName = ".coze-audit-demo"
    /// Everything the demo writes besides the marker; a second demo removes these and nothing else.
    static let ownEntries = ["coze-audit.yaml", "secrets", "keys", "coze-audit.sqlite", "coze-audit.sqlite-wal",
                             "coze-audit.sqlite-shm", "coze-audit.sqlite-journal", "coze-audit.sqlite.lock", "report.html"]

    /// Makes `directory` ready for a fresh demo, or throws exit 2 (a foreign non-empty folder, a
    /// file in the way) or 4 (another demo is using it) with one line on stderr.
    static func prepare(_ directory: String, currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> DemoFolder {
        let fm = FileManager.default
        let folder = DemoFolder(path: URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
            .standardizedFileURL.path)
        let shown = display(folder.path, currentDirectory: currentDirectory)
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CLI.fail("\(shown) is a file, not a folder; choose another --dir", code: 2)
            }
            let entries: [String]
            do {
                entries = try fm.contentsOfDirectory(atPath: folder.path)
            } catch {
                throw CLI.fail("cannot read \(shown): \(error.localizedDescription)", code: 2)
            }
            if !entries.isEmpty && !entries.contains(markerName) {
                throw CLI.fail("\(shown) is not empty and was not created by `coze-audit demo`; choose an empty or new --dir", code: 2)
            }
            if entries.contains(markerName) {
                // A demo still running there holds the database lock; do not pull its files away.
                do {
                    _ = try RunLock(databasePath: folder.path + "/coze-audit.sqlite")
                } catch StoreError.locked {
                    throw CLI.fail("another coze-audit demo is using \(shown)", code: 4)
                }
                for entry in ownEntries where entries.contains(entry) {
                    do {
                        try fm.removeItem(atPath: folder.path + "/" + entry)
                    } catch {
                        throw CLI.fail("cannot replace \(shown)/\(entry): \(error.localizedDescription)", code: 2)
                    }
                }
            }
        }
        do {
            try fm.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
            let marker = """
                This folder was created by `coze-audit demo`. The next `coze-audit demo` into it replaces the
                files it wrote (coze-audit.yaml, secrets/, keys/, coze-audit.sqlite, report.html) and nothing else.

                """
            try Data(marker.utf8).write(to: URL(fileURLWithPath: folder.path + "/" + markerName), options: .atomic)
        } catch {
            throw CLI.fail("cannot write \(shown): \(error.localizedDescription)", code: 2)
        }
        return folder
    }

    /// A path as a user can paste it into a shell: relative to the current directory when inside
    /// it, absolute otherwise, single-quoted when it holds anything but plain characters.
    static func display(_ path: String, currentDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let base = URL(fileURLWithPath: currentDirectory).standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        let shown = absolute.hasPrefix(prefix) && absolute.count > prefix.count ? String(absolute.dropFirst(prefix.count)) : absolute
        let plain = shown.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "/._-+,:@%=".unicodeScalars.contains(scalar))
        }
        return plain ? shown : "'" + shown.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
