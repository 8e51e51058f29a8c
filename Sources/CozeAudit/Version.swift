import CBuildInfo

/// The version of coze-audit: a semantic version kept here by hand, and the git commit that
/// `scripts/release` embeds at build time (COZE_AUDIT_COMMIT, see Package.swift). The binary
/// never runs git: a build without the commit (`swift build`, `swift run`) is a development build.
public enum CozeAuditVersion {
    /// Bump with every release (and say what changed in the commit message).
    public static let semantic = "0.4.0"

    /// The short commit the release was built from, nil for a development build.
    public static let commit: String? = parse(String(cString: coze_audit_build_commit())).commit

    /// Whether the release was built from a checkout with uncommitted changes.
    public static let modified: Bool = parse(String(cString: coze_audit_build_commit())).modified

    /// SemVer with build metadata, for machines (the JSON report's `tool_version`, the HTML footer):
    /// `0.4.0+1a2b3c4d5e6f`, `0.4.0+1a2b3c4d5e6f.modified`, or `0.4.0+dev` for a development build.
    public static var tag: String { tag(commit: commit, modified: modified) }

    /// For people (`coze-audit --version`): `coze-audit 0.4.0 (commit 1a2b3c4d5e6f)`,
    /// `… (commit 1a2b3c4d5e6f with uncommitted changes)`, or `coze-audit 0.4.0 (development build)`.
    public static var description: String { description(commit: commit, modified: modified) }

    static func tag(commit: String?, modified: Bool) -> String {
        guard let commit else { return semantic + "+dev" }
        return semantic + "+" + commit + (modified ? ".modified" : "")
    }

    static func description(commit: String?, modified: Bool) -> String {
        guard let commit else { return "coze-audit \(semantic) (development build)" }
        return "coze-audit \(semantic) (commit \(commit)\(modified ? " with uncommitted changes" : ""))"
    }

    /// `1a2b3c4d5e6f` or `1a2b3c4d5e6f.modified` (what scripts/release passes); "" = none.
    static func parse(_ raw: String) -> (commit: String?, modified: Bool) {
        let modified = raw.hasSuffix(".modified")
        let commit = modified ? String(raw.dropLast(".modified".count)) : raw
        return (commit.isEmpty ? nil : commit, modified)
    }
}
