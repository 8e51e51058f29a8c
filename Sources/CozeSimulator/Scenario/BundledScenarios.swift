/// The scenario files embedded by `.embedInCode` in Package.swift, by name.
enum BundledScenarios {
    static let all: [String: [UInt8]] = [
        "migrated-account": PackageResources.migrated_account_json,
    ]
}
