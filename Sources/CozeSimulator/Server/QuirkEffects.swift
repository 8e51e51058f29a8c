/// How the scenario's quirks change an answer where the engine decides; the endpoints apply
/// their own (`/v1/bots` page keys, `/v1/workspaces` `total_count`). See `Scenario.Quirk` for
/// the list and why each exists.
enum QuirkEffects {
    /// The gateway quirks with their status line; the first one on wins.
    static let gatewayPages: [(quirk: Scenario.Quirk, status: Int, reason: String)] = [
        (.gateway404, 404, "Not Found"), (.gateway403, 403, "Forbidden"), (.gateway502, 502, "Bad Gateway"),
    ]

    /// `gateway_404` / `gateway_403` / `gateway_502`: the page an nginx in front of the API
    /// answers for a `METHOD /path` the simulator does not route, before any authentication:
    /// HTML, no envelope, no `x-tt-logid`.
    static func gatewayPage(for request: IncomingRequest, in scenario: Scenario) -> SimulatorResponse? {
        guard let page = gatewayPages.first(where: { scenario.has($0.quirk) }), !SimulatorEngine.routes(request) else {
            return nil
        }
        let title = "\(page.status) \(page.reason)"
        let html = "<html><head><title>\(title)</title></head><body><center><h1>\(title)</h1></center>"
            + "<hr><center>nginx</center></body></html>"
        return SimulatorResponse(status: page.status, headers: [("Content-Type", "text/html")], body: Array(html.utf8), code: -1)
    }

    /// `token_blaming_4101`: a 4101 whose message blames the token.
    static func failure(_ failure: APIFailure, in scenario: Scenario) -> APIFailure {
        guard failure.code == 4101, scenario.has(.tokenBlaming4101) else { return failure }
        var blamed = failure
        blamed.msg = APIFailure.tokenBlamingMessage
        return blamed
    }

    /// The item keys of the paginated listings: workspaces, bots, conversations, voices.
    static let listKeys = ["workspaces", "items", "conversations", "voice_list"]

    /// `omit_items_key_on_last_page` drops the items key of an empty page that is the last one
    /// (`has_more` is not true; a `total`-counted page is empty only at or past the end), and
    /// `omit_has_more_false` drops `"has_more": false`. Applied to the endpoint's data before
    /// any data fault.
    static func applyListingQuirks(_ data: JSONValue, in scenario: Scenario) -> JSONValue {
        var data = data
        if scenario.has(.omitItemsKeyOnLastPage), data["has_more"] != true {
            for key in listKeys where data[key] == .array([]) {
                data[key] = nil
            }
        }
        if scenario.has(.omitHasMoreFalse), data["has_more"] == false {
            data["has_more"] = nil
        }
        return data
    }
}
