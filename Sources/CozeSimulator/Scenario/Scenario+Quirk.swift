extension Scenario {
    /// A switch for one ambiguity of the real Coze API: where the Coze docs and the official SDKs
    /// disagree, or are silent, the simulator's default is the lenient reading, and a quirk turns
    /// on the other one so tests can show the client survives it. Quirks live in the scenario
    /// (`"quirks": ["bots_page_index_only", …]`, `coze-audit simulate --quirk NAME`) and are read
    /// per request, so `update { $0.quirks.append(…) }` takes effect at once.
    /// `Scenarios/README.md` lists them with the ambiguity each one models.
    public enum Quirk: String, Codable, Sendable, CaseIterable {
        /// `GET /v1/bots` reads only `page_index`; `page_num` is ignored (page 1 again). The
        /// OpenAPI docs name the parameter `page_num`, cozepy sends `page_index`, and nothing says
        /// which one the server honours (by default both are read).
        case botsPageIndexOnly = "bots_page_index_only"
        /// `GET /v1/bots` reads only `page_num`; `page_index` is ignored. The same ambiguity, the
        /// other way round.
        case botsPageNumOnly = "bots_page_num_only"
        /// `GET /v1/apps` reads only `page_index` (cozepy's spelling); `page_num` (the docs' and
        /// coze-go's) is ignored: page 1 again.
        case appsPageIndexOnly = "apps_page_index_only"
        /// `GET /v1/workspaces` reports in `total_count` every workspace of the accounts the
        /// token's user belongs to, ignoring the token's workspace scope and the `enterprise_id`
        /// filter, while the pages list only what the token may list (`Visibility.joinedWorkspaces`).
        /// The docs do not say what `total_count` counts.
        case totalAllJoined = "total_all_joined"
        /// Every 4101 says "The token you entered is incorrect. Please check and try again.":
        /// the docs tie 4101 to a missing permission but do not fix its text, and a message that
        /// blames the token must not make a client treat the token as invalid.
        case tokenBlaming4101 = "token_blaming_4101"
        /// An unrouted `METHOD /path` gets an nginx 404 page (HTML, no envelope, no `x-tt-logid`)
        /// before authentication. The docs give one base URL per site and say nothing of what a
        /// wrong path or a gateway prefix answers: it is the gateway, not the API.
        case gateway404 = "gateway_404"
        /// As `gateway_404`, with 403 Forbidden (a gateway refusing the path).
        case gateway403 = "gateway_403"
        /// As `gateway_404`, with 502 Bad Gateway.
        case gateway502 = "gateway_502"
        /// Every OpenAPI request answers 4100 whatever the token; JWT token requests answer
        /// `invalid_client`, refresh `invalid_grant`. Tokens and apps belong to one site: coze.cn
        /// credentials sent to api.coze.com are just invalid, nothing says "wrong site".
        case rejectAllTokens = "reject_all_tokens"
        /// Conversations and voices leave `has_more` out instead of sending `false`. The docs show
        /// it on every page without saying it is always sent; an SDK that decodes it into a plain
        /// boolean reads a missing key as false.
        case omitHasMoreFalse = "omit_has_more_false"
        /// JWT token requests on `/enterprise_id/{id}/token` answer `access_deny`, while
        /// `/account/{id}/token` with the enterprise id serves the enterprise. The docs and the
        /// SDKs disagree on which path an enterprise-installed app must ask on.
        case jwtEnterprisePathRefused = "jwt_enterprise_path_refused"
        /// An empty last page of workspaces, bots, conversations or voices has no items key at all
        /// (`omitempty`-style serialisation), while `has_more` or the total still say it is the
        /// last. The docs show the lists on every page without saying an empty one is sent.
        case omitItemsKeyOnLastPage = "omit_items_key_on_last_page"

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let name = try container.decode(String.self)
            guard let quirk = Quirk(rawValue: name) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "unknown quirk \"\(name)\" (valid quirks: \(Self.names.joined(separator: ", ")))")
            }
            self = quirk
        }

        /// Every quirk name, in declaration order.
        public static var names: [String] { allCases.map(\.rawValue) }
    }

    /// True when the scenario has `quirk` on.
    public func has(_ quirk: Quirk) -> Bool {
        quirks.contains(quirk)
    }
}
