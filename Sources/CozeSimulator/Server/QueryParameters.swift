/// Validated reading of query parameters: anything malformed is a 4000, as on the real API.
struct QueryParameters {
    let values: [String: String]

    init(_ values: [String: String]) {
        self.values = values
    }

    func string(_ key: String) -> String? {
        values[key]
    }

    func required(_ key: String) throws(APIFailure) -> String {
        guard let value = values[key], !value.isEmpty else {
            throw .badRequest("invalid parameter: \(key) is required")
        }
        return value
    }

    func int(_ key: String, default defaultValue: Int) throws(APIFailure) -> Int {
        guard let text = values[key], !text.isEmpty else { return defaultValue }
        guard let value = Int(text) else { throw .badRequest("invalid parameter: \(key) must be an integer") }
        return value
    }

    func oneOf(_ key: String, _ allowed: [String], default defaultValue: String?) throws(APIFailure) -> String? {
        guard let value = values[key], !value.isEmpty else { return defaultValue }
        guard allowed.contains(value) else {
            throw .badRequest("invalid parameter: \(key) must be one of \(allowed.joined(separator: ", "))")
        }
        return value
    }

    func bool(_ key: String, default defaultValue: Bool) throws(APIFailure) -> Bool {
        guard let value = values[key], !value.isEmpty else { return defaultValue }
        switch value.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw .badRequest("invalid parameter: \(key) must be true or false")
        }
    }

    /// Page number and size with the endpoint's limits; `numberKeys` lists accepted spellings
    /// (cozepy sends `page_index` where the docs say `page_num`).
    func page(numberKeys: [String] = ["page_num"], defaultSize: Int, sizeRange: ClosedRange<Int>) throws(APIFailure) -> PageWindow {
        var number = 1
        for key in numberKeys where values[key] != nil {
            number = try int(key, default: 1)
            break
        }
        guard number >= 1 else { throw .badRequest("invalid parameter: \(numberKeys[0]) must be >= 1") }
        let size = try int("page_size", default: defaultSize)
        guard sizeRange.contains(size) else {
            throw .badRequest(
                "invalid parameter: page_size must be between \(sizeRange.lowerBound) and \(sizeRange.upperBound)")
        }
        return PageWindow(number: number, size: size)
    }
}

/// One page of a list: 1-based number and size.
struct PageWindow: Equatable {
    var number: Int
    var size: Int

    /// The items of this page and whether more follow.
    func slice<Item>(_ items: [Item]) -> (items: [Item], hasMore: Bool) {
        let start = (number - 1).multipliedReportingOverflow(by: size)
        guard !start.overflow, start.partialValue < items.count else { return ([], false) }
        let end = min(items.count, start.partialValue + size)
        return (Array(items[start.partialValue..<end]), end < items.count)
    }
}
