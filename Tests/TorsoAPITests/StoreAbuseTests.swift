import Foundation
import HTTPTypes
import Testing
import TorsoHTTP
import TorsoKit
import TorsoTestSupport

/// What one client could otherwise take from everyone: every connection a node has, or the
/// search's CPU with one enormous query.
@Suite struct StoreAbuseTests {
    static let twoStreams = RateLimits(login: nil, registration: nil, cartCreation: nil, completion: nil, completionPerCart: nil,
                                       streamsPerClient: 2, streamsPerKey: 3, storeTraffic: nil)

    @Test func liveStreamsAreCappedPerClientAndPerKeyAndFreedWhenClosed() async throws {
        try await withLiveAPI(heartbeat: .milliseconds(100), rateLimits: Self.twoStreams) { api, port in
            let key = try await api.makePublishableKey()
            let url = "http://127.0.0.1:\(port)/store/v1/events?key=\(key)"
            // Given: two streams from this client
            let first = try await SSERecorder.open(url)
            let second = try await SSERecorder.open(url)
            defer { second.close() }
            #expect(first.status == 200 && second.status == 200)
            // When it opens a third, it is refused with 429 and a Retry-After
            let third = try await api.get("/store/v1/events?key=\(key)", as: .none)
            expectProblem(third, .tooManyRequests, "too_many_streams")
            #expect(third.headers[.retryAfter] == "5")
            // Catalog reads are not streams: they go on
            #expect(try await api.get("/store/v1/products", as: .bearer(key)).status == .ok)
            // When one closes, its slot comes back (within a heartbeat or two)
            first.close()
            var reopened: SSERecorder?
            for _ in 0..<50 where reopened == nil {
                let attempt = try await SSERecorder.open(url)
                if attempt.status == 200 { reopened = attempt } else {
                    attempt.close()
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            let again = try #require(reopened)
            defer { again.close() }
            #expect(again.status == 200)
        }
    }

    @Test func searchesAreBoundedInLengthAndWords() async throws {
        try await withAPI { api in
            let key = try await api.makePublishableKey()
            let long = String(repeating: "a", count: 201)
            expectValidation(try await api.get("/store/v1/products?q=\(long)", as: .bearer(key)), [FieldErrorExpectation("/query/q", "too_long")])
            let words = (0..<13).map { "w\($0)" }.joined(separator: "%20")
            expectValidation(try await api.get("/store/v1/products?q=\(words)", as: .bearer(key)), [FieldErrorExpectation("/query/q", "too_long")])
            // Found from outside: words joined by `+` (as forms encode spaces) or commas were one word to the count
            for joiner in ["+", ",", "-", "%2B"] {
                let joined = (0..<13).map { "w\($0)" }.joined(separator: joiner)
                expectValidation(try await api.get("/store/v1/products?q=\(joined)", as: .bearer(key)), [FieldErrorExpectation("/query/q", "too_long")])
            }
            let fine = (0..<12).map { "w\($0)" }.joined(separator: "%20")
            #expect(try await api.get("/store/v1/products?q=\(fine)", as: .bearer(key)).status == .ok)
        }
    }
}
