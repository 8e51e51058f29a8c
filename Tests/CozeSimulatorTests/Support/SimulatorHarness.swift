import AsyncHTTPClient
import CozeSimulator
import CozeTestSupport
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One HTTP answer from the simulator, with the body parsed when it is JSON.
struct Reply: @unchecked Sendable {
    var status: Int
    var headers: HTTPHeaders
    var text: String
    var json: [String: Any]?

    var code: Int? { json?["code"] as? Int }
    var data: [String: Any]? { json?["data"] as? [String: Any] }
    var logID: String? { headers.first(name: "x-tt-logid") }

    /// The `id`-like field of every item under `data[key]`.
    func ids(_ key: String, field: String = "id") -> [String] {
        (data?[key] as? [[String: Any]] ?? []).compactMap { $0[field] as? String }
    }
}

/// Real HTTP against an in-process simulator on port 0; the server is stopped on every path.
struct SimulatorHarness: Sendable {
    let simulator: CozeSimulator

    static func with(
        _ scenario: Scenario? = nil, clock: any SimulatorClock = SystemSimulatorClock(),
        _ body: @Sendable (SimulatorHarness) async throws -> Void
    ) async throws {
        try await withSimulator(try scenario ?? Scenario.bundled(), clock: clock, logLevel: .warning) {
            try await body(SimulatorHarness(simulator: $0))
        }
    }

    func get(_ pathAndQuery: String, token: String?) async throws -> Reply {
        try await send(.GET, pathAndQuery, token: token, body: nil)
    }

    func post(_ path: String, bearer: String?, json: String) async throws -> Reply {
        try await send(.POST, path, token: bearer, body: json)
    }

    func send(_ method: HTTPMethod, _ pathAndQuery: String, token: String?, body: String?) async throws -> Reply {
        var request = HTTPClientRequest(url: simulator.baseURL + pathAndQuery)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 8 << 20)
        let text = String(buffer: buffer)
        let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        return Reply(status: Int(response.status.code), headers: response.headers, text: text, json: json)
    }
}
