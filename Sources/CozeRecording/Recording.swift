import Foundation

/// A recorded run: every HTTP exchange in order, anonymized (``Anonymizer``), and a manifest.
///
/// On disk, a folder: `manifest.json` and `exchanges.jsonl` (one exchange per line, so a
/// recording of a million-resource tenant is written and read as a stream, and `grep` works).
/// The model follows VCR-style cassettes (Ruby's VCR, vcrpy, go-vcr), with one difference: what
/// is kept is decided by an allow-list, so a recording can be attached to a bug report.
public enum Recording {
    public static let format = "coze-audit.recording/v1"
    public static let manifestFile = "manifest.json"
    public static let exchangesFile = "exchanges.jsonl"

    /// What the recording is: the tool, the time, the site and the credentials (by label, side,
    /// type and fingerprint, never a secret).
    public struct Manifest: Codable, Sendable, Equatable {
        public struct Credential: Codable, Sendable, Equatable {
            public var label: String
            /// `personal` or `enterprise`.
            public var side: String
            /// `pat`, `jwt` or `oauth`.
            public var auth: String
            /// sha256 prefix of the secret as configured (the anonymizer's key never touches it).
            public var fingerprint: String

            public init(label: String, side: String, auth: String, fingerprint: String) {
                self.label = label
                self.side = side
                self.auth = auth
                self.fingerprint = fingerprint
            }
        }

        public var format: String = Recording.format
        public var anonymization: String = Anonymizer.version
        public var toolVersion: String
        public var recordedAt: String
        /// The base URL's host (`api.coze.cn`): which site answered, without the path or port.
        public var baseURLHost: String
        public var credentials: [Credential]
        public var exchanges: Int

        public init(toolVersion: String, recordedAt: String, baseURLHost: String, credentials: [Credential], exchanges: Int) {
            self.toolVersion = toolVersion
            self.recordedAt = recordedAt
            self.baseURLHost = baseURLHost
            self.credentials = credentials
            self.exchanges = exchanges
        }

        enum CodingKeys: String, CodingKey {
            case format, anonymization, credentials, exchanges
            case toolVersion = "tool_version", recordedAt = "recorded_at", baseURLHost = "base_url_host"
        }
    }

    /// One request and its answer, already anonymized.
    public struct Exchange: Codable, Sendable, Equatable {
        public var seq: Int
        /// The credential's label, nil when the request carried none the recorder knew.
        public var credential: String?
        public var method: String
        public var path: String
        /// The encoded query, parameters in the order sent.
        public var query: String
        public var status: Int
        /// Only the headers that matter: `x-tt-logid`, `retry-after`, rate-limit headers, `content-type`.
        public var headers: [String: String]
        /// The body as JSON text (anonymized), or nil when the body was not JSON.
        public var body: String?
        /// For a body that was not JSON (a gateway page): a placeholder that is not JSON either.
        public var bodyText: String?
        /// Unix seconds when the answer arrived: token expiries are replayed relative to it.
        public var at: Int64

        public init(seq: Int, credential: String?, method: String, path: String, query: String, status: Int,
                    headers: [String: String], body: String?, bodyText: String?, at: Int64) {
            self.seq = seq
            self.credential = credential
            self.method = method
            self.path = path
            self.query = query
            self.status = status
            self.headers = headers
            self.body = body
            self.bodyText = bodyText
            self.at = at
        }

        enum CodingKeys: String, CodingKey {
            case seq, credential, method, path, query, status, headers, body, at
            case bodyText = "body_text"
        }
    }

    /// One line of `exchanges.jsonl`: the exchange as compact JSON, keys sorted, with its newline.
    public static func line(_ exchange: Exchange) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(exchange)
        line.append(UInt8(ascii: "\n"))
        return line
    }

    /// Reads a recording folder.
    public static func read(_ directory: String) throws -> (manifest: Manifest, exchanges: [Exchange]) {
        let folder = URL(fileURLWithPath: directory)
        let manifestURL = folder.appendingPathComponent(manifestFile)
        guard let manifestData = try? Data(contentsOf: manifestURL) else {
            throw RecordingError("\(manifestURL.path): no manifest.json (is \(directory) a recording made by run --record?)")
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: manifestData)
        } catch {
            throw RecordingError("\(manifestURL.path): not a recording manifest (\(error))")
        }
        guard manifest.format == format else {
            throw RecordingError("\(manifestURL.path): format \(manifest.format), this coze-audit reads \(format)")
        }
        let linesURL = folder.appendingPathComponent(exchangesFile)
        guard let text = try? String(contentsOf: linesURL, encoding: .utf8) else {
            throw RecordingError("\(linesURL.path): missing or not UTF-8")
        }
        var exchanges: [Exchange] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            do {
                exchanges.append(try JSONDecoder().decode(Exchange.self, from: Data(line.utf8)))
            } catch {
                throw RecordingError("\(linesURL.path):\(number + 1): not a recorded exchange (\(error))")
            }
        }
        return (manifest, exchanges)
    }
}

/// A recording that cannot be written or read: one line naming the file.
public struct RecordingError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
