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

    @Test("an empty page before the reported total is reached is an error, not the end")
    func emptyPageBeforeTotal() async throws {
        let (sequence, requested) = Self.sequence([
            Raw(items: Self.items(1...2), total: 6), Raw(items: [], total: 6), Raw(items: Self.items(5...6), total: 6),
        ])
        await #expect { _ = try await sequence.allItems() } throws: { error in
            (error as? CozeAPIError)?.message == "page 2 is empty but the listing reports 6 items and 2 were received"
        }
        #expect(requested.values == [1, 2])
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
