import CozeTestSupport
import Testing

@testable import CozeAPI

/// The stop rules and loop guards of `CozePageSequence`, driven by scripted pages (no HTTP).
@Suite("Pagination")
struct PaginationTests {
    typealias Raw = CozePageSequence<CozeBot>.RawPage

    /// Items `{"id": <n>}` as JSON numbers above 2^53, so raw texts must keep the digits.
    static func items(_ ids: ClosedRange<Int>) -> [JSONValue] {
        ids.map { .object([("id", .number(String(9_007_199_254_740_993 + $0)))]) }
    }

    static func sequence(pageSize: Int = 2, maxPages: Int = 100, _ pages: [Raw]) -> (CozePageSequence<CozeBot>, Recorder<Int>) {
        let requested = Recorder<Int>()
        let sequence = CozePageSequence<CozeBot>(endpoint: "GET /v1/bots", pageSize: pageSize, maxPages: maxPages) { page in
            requested.append(page)
            return page <= pages.count ? pages[page - 1] : Raw(items: [], hasMore: false)
        }
        return (sequence, requested)
    }

    @Test("has_more false stops after that page; raw item text keeps big ids exact")
    func hasMoreFalse() async throws {
        let (sequence, requested) = Self.sequence([
            Raw(items: Self.items(1...2), hasMore: true), Raw(items: Self.items(3...3), hasMore: false),
        ])
        var pages: [CozePage<CozeBot>] = []
        for try await page in sequence { pages.append(page) }
        #expect(pages.map { $0.pageNumber } == [1, 2])
        #expect(pages.map { $0.hasMore } == [true, false])
        #expect(pages[0].rawItems == [#"{"id":9007199254740994}"#, #"{"id":9007199254740995}"#])
        #expect(pages[0].items.map { $0.id } == ["9007199254740994", "9007199254740995"])
        #expect(requested.values == [1, 2])
    }

    @Test("reaching total stops without requesting another page")
    func totalReached() async throws {
        let (sequence, requested) = Self.sequence([
            Raw(items: Self.items(1...2), total: 4), Raw(items: Self.items(3...4), total: 4),
        ])
        let items = try await sequence.allItems()
        #expect(items.count == 4)
        #expect(requested.values == [1, 2])
    }

    @Test("total_count reached wins over has_more true")
    func totalBeatsHasMore() async throws {
        let (sequence, requested) = Self.sequence([Raw(items: Self.items(1...2), hasMore: true, total: 2)])
        #expect(try await sequence.allItems().count == 2)
        #expect(requested.values == [1])
    }

    @Test("an empty page with has_more true is confirmed by one more empty page, then the listing ends instead of looping")
    func emptyPageHasMore() async throws {
        let (sequence, requested) = Self.sequence([
            Raw(items: Self.items(1...2), hasMore: true), Raw(items: [], hasMore: true), Raw(items: [], hasMore: true),
            Raw(items: Self.items(5...6), hasMore: true),
        ])
        var pages: [CozePage<CozeBot>] = []
        for try await page in sequence { pages.append(page) }
        #expect(pages.map { $0.items.count } == [2, 0, 0])
        #expect(pages.map { $0.hasMore } == [true, true, false])
        #expect(requested.values == [1, 2, 3])
    }

    @Test("an empty page with has_more true followed by a page with items is a dropped page, not the end")
    func emptyPageThenItems() async throws {
        let (sequence, requested) = Self.sequence([
            Raw(items: Self.items(1...2), hasMore: true), Raw(items: [], hasMore: true, logID: "L2"),
            Raw(items: Self.items(5...6), hasMore: false, logID: "L3"),
        ])
        await #expect { _ = try await sequence.allItems() } throws: { error in
            let error = error as? CozeAPIError
            return error?.kind == .paginationLoop && error?.logID == "L3" && error?.message.contains("a page was dropped") == true
        }
        #expect(requested.values == [1, 2, 3])
    }

    @Test("an empty page before the reported total, followed by a page with items, is a dropped page")
    func emptyPageBeforeTotal() async throws {
        let (sequence, requested) = Self.sequence([
            Raw(items: Self.items(1...2), total: 6), Raw(items: [], total: 6), Raw(items: Self.items(5...6), total: 6),
        ])
        await #expect { _ = try await sequence.allItems() } throws: { error in
            (error as? CozeAPIError)?.message.contains("a page was dropped") == true
        }
        #expect(requested.values == [1, 2, 3])
    }

    @Test("an empty first page is still yielded, so the caller knows the listing answered")
    func emptyFirstPage() async throws {
        let (sequence, _) = Self.sequence([Raw(items: [], hasMore: false, total: 0)])
        var count = 0
        for try await page in sequence { count += 1; #expect(page.items.isEmpty) }
        #expect(count == 1)
    }

    @Test("without has_more or total, a short page is the last one")
    func shortPage() async throws {
        let (sequence, requested) = Self.sequence(pageSize: 2, [Raw(items: Self.items(1...2)), Raw(items: Self.items(3...3))])
        #expect(try await sequence.allItems().count == 3)
        #expect(requested.values == [1, 2])
    }

    @Test("a page repeating only ids already seen is a pagination loop error")
    func repeatedPage() async throws {
        let (sequence, _) = Self.sequence([
            Raw(items: Self.items(1...2), hasMore: true), Raw(items: Self.items(1...2), hasMore: true),
        ])
        var iterator = sequence.makeAsyncIterator()
        _ = try await iterator.next()
        await #expect { _ = try await iterator.next() } throws: { error in
            (error as? CozeAPIError)?.kind == .paginationLoop
        }
        #expect(try await iterator.next() == nil)
    }

    @Test("a page overlapping the previous one but bringing new ids is accepted")
    func overlappingPage() async throws {
        let (sequence, _) = Self.sequence([
            Raw(items: Self.items(1...2), hasMore: true), Raw(items: Self.items(2...3), hasMore: false),
        ])
        #expect(try await sequence.allItems().map { $0.id }.count == 4)
    }

    @Test("the hard page cap stops a server that always says has_more")
    func pageCap() async throws {
        let pages = (0..<10).map { Raw(items: Self.items(($0 * 2 + 1)...($0 * 2 + 2)), hasMore: true) }
        let (sequence, requested) = Self.sequence(maxPages: 3, pages)
        await #expect { _ = try await sequence.allItems() } throws: { error in
            (error as? CozeAPIError)?.kind == .paginationLoop
        }
        #expect(requested.values == [1, 2, 3])
    }

    @Test("an item without an id makes the page a malformed body error")
    func itemWithoutID() async throws {
        let (sequence, _) = Self.sequence([Raw(items: [.object([("name", .string("x"))])], hasMore: false, logID: "L")])
        await #expect { _ = try await sequence.allItems() } throws: { error in
            let error = error as? CozeAPIError
            return error?.kind == .malformedBody && error?.logID == "L"
        }
    }

}

/// The stop rules of the evidence rules (docs/evidence.md, "Paging"), each on scripted pages with
/// its outcome: how many requests, how it ends, and the note it leaves.
@Suite("Pagination stop rules")
struct PaginationStopRuleTests {
    typealias Raw = CozePageSequence<CozeBot>.RawPage

    static func items(_ ids: ClosedRange<Int>) -> [JSONValue] { PaginationTests.items(ids) }

    /// Drains the sequence; returns the pages, or throws its error.
    static func drain(_ sequence: CozePageSequence<CozeBot>) async throws -> [CozePage<CozeBot>] {
        var pages: [CozePage<CozeBot>] = []
        for try await page in sequence { pages.append(page) }
        return pages
    }

    @Test("a short page while total says more: one more request; an empty one ends the listing with a note")
    func shortPageTotalLarger() async throws {
        let (sequence, requested) = PaginationTests.sequence(pageSize: 3, [Raw(items: Self.items(1...1), total: 5)])
        let pages = try await Self.drain(sequence)
        #expect(requested.values == [1, 2])
        #expect(pages.flatMap(\.items).count == 1)
        #expect(pages.flatMap(\.notes) == ["total 5 but the listing ended after 1 item(s)"])
    }

    @Test("a short page while total says more, then a page with items: the server pages by fewer, the listing goes on")
    func smallerServerPages() async throws {
        let (sequence, requested) = PaginationTests.sequence(pageSize: 3, [
            Raw(items: Self.items(1...2), total: 5), Raw(items: Self.items(3...4), total: 5), Raw(items: Self.items(5...5), total: 5),
        ])
        let pages = try await Self.drain(sequence)
        #expect(requested.values == [1, 2, 3])
        #expect(pages.flatMap(\.items).count == 5)
        #expect(pages.flatMap(\.notes).isEmpty)
    }

    @Test("total smaller than the items: total is ignored (noted) and the short page ends the listing")
    func totalSmallerThanItems() async throws {
        let (sequence, requested) = PaginationTests.sequence(pageSize: 2, [
            Raw(items: Self.items(1...2), total: 1), Raw(items: Self.items(3...3), total: 1),
        ])
        let pages = try await Self.drain(sequence)
        #expect(requested.values == [1, 2])
        #expect(pages.flatMap(\.items).count == 3)
        #expect(pages.flatMap(\.notes) == ["total 1 but 2 distinct items received: total ignored"])
    }

    @Test("an empty first page while total > 0: one more request, then the listing ends with a note")
    func emptyFirstPageWithTotal() async throws {
        let (sequence, requested) = PaginationTests.sequence(pageSize: 2, [Raw(items: [], total: 4), Raw(items: [], total: 4)])
        let pages = try await Self.drain(sequence)
        #expect(requested.values == [1, 2])
        #expect(pages.flatMap(\.items).isEmpty)
        #expect(pages.flatMap(\.notes) == ["total 4 but the listing ended after 0 item(s)"])
    }

    /// A server that honours only `honoured` and answers page 1 to anything else.
    static func botsServer(honoured: String, total: Int = 3) -> (CozePageSequence<CozeBot>, Recorder<String>, Recorder<String>) {
        let requested = Recorder<String>()
        let learned = Recorder<String>()
        let pages = [Self.items(1...2), Self.items(3...3)]
        let sequence = CozePageSequence<CozeBot>(
            endpoint: "GET /v1/bots", pageSize: 2, maxPages: 100, pageParameters: ["page_num", "page_index"],
            learn: { learned.append($0) }
        ) { page, parameter in
            requested.append("\(parameter)=\(page)")
            let effective = parameter == honoured ? page : 1
            return Raw(items: effective <= pages.count ? pages[effective - 1] : [], total: total)
        }
        return (sequence, requested, learned)
    }

    @Test("page 2 repeating page 1 on /v1/bots: page 2 again with the other parameter, then complete; the parameter is learned")
    func repeatedPageOtherParameter() async throws {
        let (sequence, requested, learned) = Self.botsServer(honoured: "page_index")
        let pages = try await Self.drain(sequence)
        #expect(requested.values == ["page_num=1", "page_num=2", "page_index=2"])
        #expect(pages.flatMap(\.items).map(\.id).count == 3)
        #expect(pages.last?.pageParameter == "page_index")
        #expect(pages.compactMap(\.switchedPageParameter) == ["page_index"])
        #expect(learned.values == ["page_index"])
        #expect(pages.flatMap(\.notes).contains { $0.contains("the server pages by page_index") })
    }

    @Test("with the documented parameter honoured, no page is asked twice and nothing is learned")
    func documentedParameterWorks() async throws {
        let (sequence, requested, learned) = Self.botsServer(honoured: "page_num")
        _ = try await Self.drain(sequence)
        #expect(requested.values == ["page_num=1", "page_num=2"])
        #expect(learned.values.isEmpty)
    }

    @Test("repeating again with both parameters is a pagination loop")
    func repeatedWithBoth() async throws {
        let (sequence, requested, _) = Self.botsServer(honoured: "neither")
        await #expect { _ = try await Self.drain(sequence) } throws: { error in
            let error = error as? CozeAPIError
            return error?.kind == .paginationLoop && error?.message.contains("both page_num and page_index") == true
        }
        #expect(requested.values == ["page_num=1", "page_num=2", "page_index=2"])
    }

    @Test("a listing with one page parameter keeps calling a repeated page a loop")
    func singleParameterLoop() async throws {
        let (sequence, requested) = PaginationTests.sequence([
            Raw(items: Self.items(1...2), hasMore: true), Raw(items: Self.items(1...2), hasMore: true),
        ])
        await #expect { _ = try await Self.drain(sequence) } throws: { error in
            (error as? CozeAPIError)?.kind == .paginationLoop
        }
        #expect(requested.values == [1, 2])
    }

    @Test("a page without its items key is empty when it says it is the last one")
    func missingItemsKeyOnLastPage() async throws {
        let (last, _) = PaginationTests.sequence([Raw(items: Self.items(1...2), hasMore: true), Raw(items: nil, hasMore: false)])
        #expect(try await last.allItems().count == 2)
        let (empty, _) = PaginationTests.sequence([Raw(items: nil, total: 0)])
        #expect(try await empty.allItems().isEmpty)
    }

    @Test("a page without its items key that does not say it is the last is malformed")
    func missingItemsKeyOtherwise() async throws {
        for raw in [Raw(items: nil, hasMore: true), Raw(items: nil), Raw(items: nil, total: 3)] {
            let (sequence, _) = PaginationTests.sequence([raw])
            await #expect { _ = try await sequence.allItems() } throws: { error in
                (error as? CozeAPIError)?.kind == .malformedBody
            }
        }
    }

    @Test("has_more omitted on the last page: a short page ends the listing, a full one asks one more")
    func hasMoreOmitted() async throws {
        let (short, shortRequests) = PaginationTests.sequence(pageSize: 2, [Raw(items: Self.items(1...2), hasMore: true), Raw(items: Self.items(3...3))])
        #expect(try await short.allItems().count == 3)
        #expect(shortRequests.values == [1, 2])
        let (full, fullRequests) = PaginationTests.sequence(pageSize: 2, [Raw(items: Self.items(1...2), hasMore: true), Raw(items: Self.items(3...4))])
        #expect(try await full.allItems().count == 4)
        #expect(fullRequests.values == [1, 2, 3])
    }

    @Test("a learned parameter is tried first, and the memory keeps only the ambiguous paths' known names")
    func memoryOrder() {
        let memory = PageParameterMemory(learned: ["/v1/bots": "page_index", "/v1/workspaces": "page_index", "/v1/x": "y"])
        #expect(memory.order(for: "/v1/bots") == ["page_index", "page_num"])
        #expect(memory.order(for: "/v1/workspaces") == ["page_num"])
        #expect(memory.learned == ["/v1/bots": "page_index"])
        let fresh = PageParameterMemory()
        #expect(fresh.order(for: "/v1/bots") == ["page_num", "page_index"])
        fresh.learn(path: "/v1/bots", parameter: "page_index")
        #expect(fresh.order(for: "/v1/bots") == ["page_index", "page_num"])
    }
}
