/// One answer `coze-audit doctor` got to an open question about the API (docs/evidence.md,
/// "Open questions"): what was asked, what the server did, and what coze-audit does about it.
public struct DoctorObservation: Codable, Sendable, Equatable {
    /// The configured credential that asked, or nil for what holds across them (the learned values).
    public var credential: String?
    /// A stable identifier (`bots_page_parameter`), for scripts and the database.
    public var question: String
    /// The question in words.
    public var title: String
    public var observed: String
    /// What coze-audit does about it.
    public var action: String
    /// False when the probe could not settle the question (no bots to page, a rejected token, a
    /// probe that failed in a way it was not meant to).
    public var answered: Bool

    public init(credential: String?, question: String, title: String, observed: String, action: String, answered: Bool) {
        self.credential = credential
        self.question = question
        self.title = title
        self.observed = observed
        self.action = action
        self.answered = answered
    }
}

/// What one `doctor` invocation found, across every configured credential.
public struct DoctorReport: Codable, Sendable, Equatable {
    public struct CredentialProbe: Codable, Sendable, Equatable {
        public var name: String
        public var side: String
        public var auth: String
        /// sha256 prefix of the secret, never the secret.
        public var fingerprint: String
        /// HTTP requests the probes of this credential sent (retries included).
        public var requests: Int
    }

    public var schema = "coze-audit.doctor/v1"
    public var baseURL: String
    public var observedAt: String
    public var credentials: [CredentialProbe]
    public var observations: [DoctorObservation]
    /// What later runs against this base URL start with: `/v1/bots` → `page_index`, `GET /v1/bots` page size → 20.
    public var learnedPageParameters: [String: String]
    public var learnedPageSizeLimits: [String: Int]

    enum CodingKeys: String, CodingKey {
        case schema, credentials, observations
        case baseURL = "base_url", observedAt = "observed_at"
        case learnedPageParameters = "learned_page_parameters", learnedPageSizeLimits = "learned_page_size_limits"
    }

    /// The questions no credential could settle, by title. Most questions are about the API, not
    /// the token: a scoped token that lists no workspace cannot page bots, but another credential
    /// may have, and then the question is settled.
    public var unansweredQuestions: [String] {
        var answered: Set<String> = [], titles: [String: String] = [:], order: [String] = []
        for observation in observations {
            if observation.answered { answered.insert(observation.question) }
            if titles[observation.question] == nil { order.append(observation.question) }
            titles[observation.question] = titles[observation.question] ?? observation.title
        }
        return order.filter { !answered.contains($0) }.compactMap { titles[$0] }
    }

    /// Every question got its answer from at least one credential (exit 0; otherwise 3).
    public var allAnswered: Bool { unansweredQuestions.isEmpty }

    /// `question | observed | what coze-audit does about it`, one table per credential, then the
    /// values later runs use.
    public func text() -> String {
        var out = "coze-audit doctor: \(baseURL), \(observedAt)\n"
        for credential in credentials {
            let rows = observations.filter { $0.credential == credential.name }
            out += "\n\(credential.name) (\(credential.side), \(credential.auth), \(credential.fingerprint)): "
                + "\(credential.requests) request\(credential.requests == 1 ? "" : "s")\n"
            out += Self.table(rows)
        }
        let shared = observations.filter { $0.credential == nil }
        if !shared.isEmpty {
            out += "\nlearned for later runs against \(baseURL)\n" + Self.table(shared)
        }
        let open = unansweredQuestions
        out += open.isEmpty
            ? "\nevery question was answered by at least one credential (? marks what one could not probe)\n"
            : "\nnot answered by any credential (exit 3): " + open.joined(separator: "; ") + "\n"
        return out
    }

    static func table(_ rows: [DoctorObservation]) -> String {
        QueryResult(columns: ["question", "observed", "what coze-audit does about it"],
                    rows: rows.map { [($0.answered ? "" : "? ") + $0.title, $0.observed, $0.action] })
            .text(missing: "—")
    }
}
