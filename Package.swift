// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// The commit `coze-audit --version` names: `scripts/release` sets COZE_AUDIT_COMMIT (e.g.
/// `1a2b3c4d5e6f` or `1a2b3c4d5e6f.modified`); a plain `swift build` has none and says
/// "development build". A C define, because Swift's `-D` carries no value. Only characters that
/// are safe inside a C string literal are kept.
let buildCommit = (Context.environment["COZE_AUDIT_COMMIT"] ?? "").filter { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_+".contains($0)) }

/// The SQL files of `queries/`, found rather than listed: a new finding kind is its SQL file plus
/// its case in queries/FindingKind.swift, nothing else (docs/design.md §4).
let queryFiles = ((try? FileManager.default.contentsOfDirectory(atPath: Context.packageDirectory + "/queries")) ?? [])
    .filter { $0.hasSuffix(".sql") }.sorted()

/// Every version below is the one mirrored on the build machines (`from:` the exact tag), so a
/// fresh clone resolves offline against the local package mirror.
let package = Package(
    name: "coze-audit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "coze-audit", targets: ["coze-audit"]),
        .library(name: "CozeAPI", targets: ["CozeAPI"]),
        .library(name: "CozeAudit", targets: ["CozeAudit"]),
        .library(name: "CozeSimulator", targets: ["CozeSimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .executableTarget(
            name: "coze-audit",
            dependencies: [
                "CozeAudit", "CozeSimulator", "CozeAPI", "CozeBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
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
            ]
        ),
        /// Crawl, store, findings, reports.
        .target(
            name: "CozeAudit",
            dependencies: [
                "CozeAPI", "AuditQueries", "AuditReports", "CBuildInfo",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        /// The finding kinds (queries/FindingKind.swift) and their SQL, which a user can also run by
        /// hand: every `.sql` file of the folder is embedded, so a copied binary needs no bundle.
        .target(
            name: "AuditQueries",
            path: "queries",
            exclude: ["README.md"],
            resources: queryFiles.map { .embedInCode($0) }
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
                .embedInCode("report.css"),
            ]
        ),
        /// The fake Coze server: real paths, envelopes and error codes; shares no types with CozeAPI.
        .target(
            name: "CozeSimulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Scenarios/README.md"],
            resources: [
                .embedInCode("Scenarios/migrated-account.json"),
                .embedInCode("Scenarios/demo-app-private-key.pem"),
                .embedInCode("Scenarios/demo-app-public-key.pem"),
            ]
        ),
        /// `coze-audit bench`: the simulator as a separate process, audits of generated tenants, the figures.
        .target(name: "CozeBench", dependencies: ["CozeAudit", "CozeSimulator", "CozeAPI"]),
        .testTarget(name: "CozeAPITests", dependencies: ["CozeAPI", "CozeSimulator"]),
        .testTarget(name: "CozeAuditTests", dependencies: ["CozeAudit", "CozeSimulator", "CozeAPI"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "CozeSimulatorTests",
            dependencies: ["CozeSimulator", .product(name: "AsyncHTTPClient", package: "async-http-client")]
        ),
        .testTarget(name: "CLITests", dependencies: ["CozeSimulator", "CozeAudit", "CozeAPI"], exclude: ["Expected", "Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
