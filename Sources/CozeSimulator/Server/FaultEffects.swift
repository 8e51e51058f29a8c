/// How each scripted fault changes an answer. Faults come from the scenario (`faults`) or from
/// `update` at run time; see `Scenario.Fault.Kind` for the list.
enum FaultEffects {
    /// Faults that replace the answer entirely (no handler runs).
    static func scriptedAnswer(_ faults: [Scenario.Fault], logID: String) -> SimulatorResponse? {
        for fault in faults {
            switch fault.kind {
            case .httpStatus:
                let status = fault.status ?? 500
                let html = "<html><body><h1>\(status) Bad Gateway</h1><p>logid \(logID)</p></body></html>"
                return SimulatorResponse(
                    status: status, headers: [("Content-Type", "text/html"), ("x-tt-logid", logID)],
                    body: Array(html.utf8), code: -1)
            case .rateLimit429:
                var response = SimulatorResponse.failure(.rateLimited, logID: logID, errorsAsHTTP200: false)
                if let seconds = fault.retryAfterSeconds { response.headers.append(("Retry-After", String(seconds))) }
                return response
            case .retryAfter:
                var response = SimulatorResponse.failure(.rateLimited, logID: logID, errorsAsHTTP200: false)
                response.headers.append(("Retry-After", String(fault.retryAfterSeconds ?? 0)))
                return response
            case .code4013:
                var response = SimulatorResponse.failure(.rateLimited, logID: logID, errorsAsHTTP200: true)
                if let seconds = fault.retryAfterSeconds { response.headers.append(("Retry-After", String(seconds))) }
                return response
            case .apiError:
                return .envelope(code: fault.code ?? 5000, msg: fault.message ?? "", data: nil, logID: logID, status: fault.status ?? 200)
            case .html200:
                let html = "<!DOCTYPE html><html><head><title>扣子</title></head><body>Service maintenance</body></html>"
                return SimulatorResponse(
                    status: 200, headers: [("Content-Type", "text/html; charset=utf-8"), ("x-tt-logid", logID)],
                    body: Array(html.utf8), code: -1)
            default:
                continue
            }
        }
        return nil
    }

    /// Faults that damage the bytes of whatever answer was produced.
    static func applyBodyFaults(_ faults: [Scenario.Fault], to response: SimulatorResponse) -> SimulatorResponse {
        var response = response
        for fault in faults {
            switch fault.kind {
            case .closeMidBody:
                response.cutAfter = response.body.count / 2
            case .truncatedJSON:
                response.body = Array(response.body.prefix(max(1, response.body.count / 2)))
            case .invalidJSON:
                response.body = Array("{\"code\":0,\"msg\":\"\",\"data\":{\"items\":[{\"id\":7410000000000000001,,]}".utf8)
            default:
                continue
            }
        }
        return response
    }

    /// For `repeat_page`: page n answers page n-1's items again (page 1 answers itself).
    static func repeatedPageQuery(_ faults: [Scenario.Fault], query: [String: String]) -> [String: String]? {
        guard faults.contains(where: { $0.kind == .repeatPage }) else { return nil }
        var query = query
        for key in ["page_num", "page_index"] {
            if let text = query[key], let number = Int(text), number > 1 {
                query[key] = String(number - 1)
            }
        }
        return query
    }

    static let listKeys = ["workspaces", "items", "space_bots", "conversations", "voice_list"]

    /// Faults that rewrite a successful page: `repeat_page` and `endless_has_more` promise more
    /// pages forever, `duplicate_ids` repeats the page's first item at its end, `drop_page` empties
    /// the list (has_more and totals unchanged), `rename_field` renames a field of every item.
    static func applyDataFaults(_ faults: [Scenario.Fault], to data: JSONValue, query: QueryParameters) -> JSONValue {
        var data = data
        let page = (try? query.page(numberKeys: ["page_num", "page_index"], defaultSize: 20, sizeRange: 1...Int.max))
            ?? PageWindow(number: 1, size: 20)
        for fault in faults {
            switch fault.kind {
            case .repeatPage, .endlessHasMore:
                if data["has_more"] != nil { data["has_more"] = true }
                for key in ["total", "total_count"] {
                    if case .int(let total)? = data[key] {
                        data[key] = .int(max(total, Int64(page.number * page.size + 1)))
                    }
                }
            case .duplicateIDs:
                for key in listKeys {
                    if case .array(let items)? = data[key], let first = items.first {
                        data[key] = .array(items + [first])
                    }
                }
            case .dropPage:
                for key in listKeys where data[key] != nil {
                    data[key] = .array([])
                }
            case .renameField:
                guard let field = fault.field, let renamed = fault.renameTo else { continue }
                for key in listKeys {
                    if case .array(let items)? = data[key] {
                        data[key] = .array(items.map { rename(field, to: renamed, in: $0) })
                    }
                }
            default:
                continue
            }
        }
        return data
    }

    /// The item with its `field` key renamed (order kept); items without it are unchanged.
    static func rename(_ field: String, to renamed: String, in item: JSONValue) -> JSONValue {
        guard case .object(let pairs) = item else { return item }
        return .object(pairs.map { $0.0 == field ? (renamed, $0.1) : $0 })
    }
}
