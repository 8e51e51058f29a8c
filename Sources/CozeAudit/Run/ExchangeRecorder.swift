import CozeAPI
import CozeRecording
import Foundation
import Synchronization

/// `run --record DIR`: every HTTP exchange of the run, in the order the answers arrived,
/// anonymized as it is written (``Anonymizer``), so nothing identifying ever reaches the disk.
///
/// Exchanges are appended to `exchanges.jsonl` as they happen (a killed run leaves every exchange
/// up to the kill); ``finish()`` writes `manifest.json`. Requests of a credential are recognised
/// by its fingerprint, which the client attaches to every exchange, token requests included.
public final class ExchangeRecorder: Sendable {
    public let directory: String
    private let anonymizer = Anonymizer()
    private let labels: [String: String]
    private let credentials: [Recording.Manifest.Credential]
    private let baseURL: String
    private let recordedAt: Date
    private struct State {
        var handle: FileHandle?
        var count = 0
        var error: String?
    }
    private let state: Mutex<State>

    /// Creates `directory` (which must not hold a recording already) and opens the exchange file.
    public init(directory: String, baseURL: String, credentials: [ResolvedCredential], now: Date = Date()) throws {
        self.directory = directory
        self.baseURL = baseURL
        self.recordedAt = now
        self.credentials = credentials.map {
            .init(label: $0.name, side: $0.config.side.rawValue, auth: $0.config.auth.kind, fingerprint: $0.fingerprint)
        }
        var labels: [String: String] = [:]
        for credential in credentials where labels[credential.fingerprint] == nil { labels[credential.fingerprint] = credential.name }
        self.labels = labels
        let folder = URL(fileURLWithPath: directory)
        let file = folder.appendingPathComponent(Recording.exchangesFile)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: file.path) {
                throw RecordingError("\(directory) already holds a recording; record into a new folder")
            }
            _ = FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
            state = Mutex(State(handle: try FileHandle(forWritingTo: file)))
        } catch let error as RecordingError {
            throw error
        } catch {
            throw RecordingError("cannot record into \(directory): \(error.localizedDescription)")
        }
    }

    /// The observer to put into the clients' options.
    public var observer: CozeExchangeObserver { { [self] event in record(event) } }

    func record(_ event: CozeExchangeEvent) {
        let parts = event.endpoint.split(separator: " ", maxSplits: 1).map(String.init)
        let (json, text) = anonymizer.body(event.body)
        state.withLock { state in
            guard let handle = state.handle else { return }
            state.count += 1
            let exchange = Recording.Exchange(
                seq: state.count, credential: labels[event.credentialFingerprint],
                method: parts.first ?? "GET", path: anonymizer.path(parts.count > 1 ? parts[1] : ""),
                query: anonymizer.query(event.query), status: event.httpStatus, headers: anonymizer.headers(event.headers),
                body: json, bodyText: text, at: Int64(Date().timeIntervalSince1970))
            do {
                try handle.write(contentsOf: Recording.line(exchange))
            } catch {
                state.error = state.error ?? "\(error)"
            }
        }
    }

    /// Closes the exchange file and writes the manifest; returns the number of exchanges.
    @discardableResult
    public func finish() throws -> Int {
        let (count, error) = state.withLock { state -> (Int, String?) in
            try? state.handle?.close()
            state.handle = nil
            return (state.count, state.error)
        }
        if let error { throw RecordingError("recording into \(directory) failed: \(error)") }
        let manifest = Recording.Manifest(
            toolVersion: CozeAuditVersion.tag, recordedAt: Timestamp.format(recordedAt),
            baseURLHost: URL(string: baseURL)?.host ?? "", credentials: credentials, exchanges: count)
        do {
            try Data(StableJSON.encode(manifest).utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent(Recording.manifestFile),
                                               options: .atomic)
        } catch {
            throw RecordingError("cannot write \(directory)/\(Recording.manifestFile): \(error.localizedDescription)")
        }
        return count
    }
}
