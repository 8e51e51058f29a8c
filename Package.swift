// swift-tools-version: 6.1
import PackageDescription

/// The commit `coze-audit --version` names: `scripts/release` sets COZE_AUDIT_COMMIT (e.g.
/// `1a2b3c4d5e6f` or `1a2b3c4d5e6f.modified`); a plain `swift build` has none and says
/// "development build". A C define, because Swift's `-D` carries no value. Only characters that
/// are safe inside a C string literal are kept.
let buildCommit = (Context.environment["COZE_AUDIT_COMMIT"] ?? "").filter { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_+".contains($0)) }

/// The SQL files of `queries/`, one per finding kind plus `credential_history`. Listed, not found
/// by reading the folder: SwiftPM plans a build from the manifest's text, so a discovered list
/// goes stale the moment a file is added until the manifest itself changes. A kind whose file is
/// missing here does not compile (`PackageResources.<name>_sql`), and FindingCatalogTests fails
/// for a file on disk that no kind embeds.
let queryFiles = [
    "app_not_authorized", "enterprise_permission_gap", "stranded", "needs_personal_grant", "not_visible_to_enterprise",
    "workspace_scope_gap", "obo_cannot_use_grant", "stale_pat", "pat_still_required", "pat_in_production",
    "credential_history",
].map { $0 + ".sql" }

/// Every version below is pinned `exact:` to the one mirrored on the build machines, so a fresh
/// clone resolves offline against the local package mirror, to the same code every time.
///
/// Each target declares every module it imports (no module reached only through another
/// target's dependencies). `ExistentialAny` makes every existential say `any`.
///
/// `MemberImportVisibility` was tried and is off on purpose: besides asking for the missing
/// imports (added), it silently changed what `someString.contains("…")` resolves to in files
/// that do not import Foundation: two tests (PaginationTests, FaultMatrixTests) found a
/// substring that is there reported absent. A check that can change behaviour without an error
/// is not one we can enable file by file safely.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]
let package = Package(
    name: "coze-audit",
    platforms: [.macOS(.v15)],  // Synchronization.Mutex
    products: [
        .executable(name: "coze-audit", targets: ["coze-audit"]),
        .library(name: "CozeAPI", targets: ["CozeAPI"]),
        .library(name: "CozeAudit", targets: ["CozeAudit"]),
        .library(name: "CozeSimulator", targets: ["CozeSimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.2"),
        .package(url: "https://github.com/vapor/jwt-kit", exact: "5.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    ],
    targets: [
        /// The binary: only its entry point (main.swift).
        .executableTarget(name: "coze-audit", dependencies: ["CozeAuditCLI"], swiftSettings: strict),
        /// The command tree and its one error policy, a library so tests parse command lines and
        /// map errors to exit codes without spawning the binary.
        .target(
            name: "CozeAuditCLI",
            dependencies: [
                "CozeAudit", "CozeSimulator", "CozeAPI", "CozeBench", "AuditQueries", "CozeRecording",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        /// The only module that speaks HTTP to Coze.
        .target(
            name: "CozeAPI",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        /// Crawl, store, findings, reports.
        .target(
            name: "CozeAudit",
            dependencies: [
                "CozeAPI", "AuditQueries", "AuditReports", "CBuildInfo", "CozeRecording",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        /// The finding kinds (queries/FindingKind.swift) and their SQL, which a user can also run by
        /// hand: every `.sql` file of the folder is embedded, so a copied binary needs no bundle.
        .target(
            name: "AuditQueries",
            path: "queries",
            exclude: ["README.md"],
            resources: queryFiles.map { .embedInCode($0) },
            swiftSettings: strict
        ),
        /// The build's commit (see `buildCommit` above), read by `CozeAuditVersion`.
        .target(
            name: "CBuildInfo",
            cSettings: buildCommit.isEmpty ? [] : [.define("COZE_AUDIT_COMMIT", to: "\"\(buildCommit)\"")]
        ),
        /// HTML templates and CSS, embedded for the same reason.
        .target(
            name: "AuditReports",
            path: "reports",
            resources: [
                .embedInCode("summary.mustache"),
                .embedInCode("chart.mustache"),
                .embedInCode("report.css"),
            ]
        ),
        /// The recording format of `run --record` and `simulate --replay`, and its anonymizer: the
        /// one thing the auditor and the simulator share.
        .target(
            name: "CozeRecording",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        /// The fake Coze server: real paths, envelopes and error codes; shares no types with CozeAPI.
        .target(
            name: "CozeSimulator",
            dependencies: [
                "CozeRecording",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Scenarios/README.md"],
            resources: [
                .embedInCode("Scenarios/migrated-account.json"),
                .embedInCode("Scenarios/demo-app-private-key.pem"),
                .embedInCode("Scenarios/demo-app-public-key.pem"),
            ],
            swiftSettings: strict
        ),
        /// `coze-audit bench`: the simulator as a separate process, audits of generated tenants, the figures.
        .target(
            name: "CozeBench",
            dependencies: ["CozeAudit", "CozeSimulator", "CozeAPI", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        /// What every test suite shares: the simulator's start-run-stop scope, its tokens, a
        /// sleeper that records instead of waiting.
        .target(
            name: "CozeTestSupport",
            dependencies: [
                "CozeAPI", "CozeSimulator",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/CozeTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "CozeAPITests",
            dependencies: [
                "CozeAPI", "CozeSimulator", "CozeTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CozeAuditTests",
            dependencies: [
                "CozeAudit", "CozeSimulator", "CozeAPI", "AuditQueries", "CozeTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CozeSimulatorTests",
            dependencies: [
                "CozeSimulator", "CozeTestSupport", "CozeRecording",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "CozeSimulator", "CozeAudit", "CozeAPI", "CozeAuditCLI", "CozeTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Expected", "Golden", "Fixtures"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
