import Foundation
import HTTPTypes
import Testing
import TorsoHTTP
import TorsoKit
import TorsoTestSupport

/// The store API's rate limits: a script hammering login, registration, carts or completion is
/// held to the configured rate with 429 and Retry-After; other routes and other buckets go on.
@Suite struct RateLimitTests {
    static let tight = RateLimits(login: .init(3, per: 60), registration: .init(2, per: 60), cartCreation: .init(3, per: 60),
                                  completion: .init(10, per: 60), completionPerCart: .init(2, per: 60), checkout: .init(3, per: 60),
                                  claim: .init(3, per: 60), holdsPerClient: 3, storeTraffic: nil)

    @Test func loginsRegistrationsAndCartsAreHeldToTheirRate() async throws {
        try await withAPI(rateLimits: Self.tight) { api in
            let key = try await api.makePublishableKey()
            for attempt in 0..<3 {
                let login = try await api.post("/store/v1/customers/login", #"{"email":"ada@example.com","password":"guess \#(attempt)"}"#, as: .bearer(key))
                #expect(login.status == .unauthorized, "\(login.text)")
            }
            let limited = try await api.post("/store/v1/customers/login", #"{"email":"ada@example.com","password":"guess 4"}"#, as: .bearer(key))
            expectProblem(limited, .tooManyRequests, "rate_limited")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // Registration has a bucket of its own
            for index in 0..<2 {
                #expect(try await api.post("/store/v1/customers", #"{"email":"new\#(index)@example.com","password":"long enough pass"}"#,
                                           as: .bearer(key)).status == .created)
            }
            expectProblem(try await api.post("/store/v1/customers", #"{"email":"new9@example.com","password":"long enough pass"}"#, as: .bearer(key)),
                          .tooManyRequests, "rate_limited")
            // So do carts; reading the catalog is not limited
            for _ in 0..<3 { #expect(try await api.post("/store/v1/carts", "{}", as: .bearer(key)).status == .created) }
            expectProblem(try await api.post("/store/v1/carts", "{}", as: .bearer(key)), .tooManyRequests, "rate_limited")
            for _ in 0..<20 { #expect(try await api.get("/store/v1/products", as: .bearer(key)).status == .ok) }
        }
    }

    @Test func oneCartCannotBeCompletedCardAfterCard() async throws {
        try await withAPI(rateLimits: Self.tight) { api in
            let (key, variants) = try await Shop.shop(api, suffix: "cards", stock: 5, sizes: ["s"])
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            for card in ["4000000000000002", "4000000000009995"] {
                #expect(try await Shop.complete(api, cart, key: key, card: card).status.code == 402)
            }
            expectProblem(try await Shop.complete(api, cart, key: key), .tooManyRequests, "rate_limited")
        }
    }

    @Test func handoffCodesCannotBeGuessedAndHoldsCannotBeTakenWithoutEnd() async throws {
        try await withAPI(rateLimits: Self.tight) { api in
            let (key, variants) = try await Shop.shop(api, suffix: "guess", stock: 5, sizes: ["s"])
            // Guessing codes: three tries, then 429 (a real code does not get through either)
            for attempt in 0..<3 {
                expectProblem(try await api.post("/store/v1/carts/claim", #"{"code":"AAAA-BBBB-000\#(attempt)"}"#, as: .bearer(key)),
                              .notFound, "handoff_not_found")
            }
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            let code = try #require(try await api.post("/store/v1/carts/\(cart)/handoff", "{}", as: .bearer(key)).json["code"]?.stringValue)
            expectProblem(try await api.post("/store/v1/carts/claim", #"{"code":"\#(code)"}"#, as: .bearer(key)), .tooManyRequests, "rate_limited")
            // Checkouts (holds) per client: three, then 429
            for _ in 0..<3 { #expect(try await api.post("/store/v1/carts/\(cart)/checkout", "{}", as: .bearer(key)).status == .ok) }
            expectProblem(try await api.post("/store/v1/carts/\(cart)/checkout", "{}", as: .bearer(key)), .tooManyRequests, "rate_limited")
        }
    }

    /// Found from outside: changing a cart released its holds and the next checkout held again,
    /// so one client could keep a product unavailable forever with carts taken in turn.
    @Test func oneClientHoldsAtMostItsShareOverAllItsCarts() async throws {
        try await withAPI(rateLimits: Self.tight) { api in
            let (key, variants) = try await Shop.shop(api, suffix: "hoard", stock: 10, sizes: ["s"])
            let first = try await Shop.readyCart(api, key: key, variants: variants)
            let line = try #require(try await api.get("/store/v1/carts/\(first)", as: .bearer(key)).json["lines"]?[0]?["id"]?.stringValue)
            #expect(try await api.patch("/store/v1/carts/\(first)/lines/\(line)", #"{"quantity":2}"#, as: .bearer(key)).status == .ok)
            #expect(try await api.post("/store/v1/carts/\(first)/checkout", "{}", as: .bearer(key)).status == .ok)
            // A second cart from the same address may hold one more unit, not two
            let second = try await Shop.readyCart(api, key: key, variants: variants)
            let secondLine = try #require(try await api.get("/store/v1/carts/\(second)", as: .bearer(key)).json["lines"]?[0]?["id"]?.stringValue)
            #expect(try await api.patch("/store/v1/carts/\(second)/lines/\(secondLine)", #"{"quantity":2}"#, as: .bearer(key)).status == .ok)
            expectProblem(try await api.post("/store/v1/carts/\(second)/checkout", "{}", as: .bearer(key)), .conflict, "hold_limit_reached")
            expectProblem(try await Shop.complete(api, second, key: key), .conflict, "hold_limit_reached")
            // Once the first cart is placed, its units are no longer held: the second goes through
            #expect(try await Shop.complete(api, first, key: key).status == .created)
            #expect(try await Shop.complete(api, second, key: key).status == .created)
        }
    }

    @Test func theLimiterRefillsAtItsRate() {
        let limiter = RateLimiter()
        let rule = RateLimiter.Rule(2, per: 10)
        let start = ContinuousClock.now
        #expect(limiter.take("a", rule: rule, now: start) == nil)
        #expect(limiter.take("a", rule: rule, now: start) == nil)
        #expect(limiter.take("a", rule: rule, now: start) == .seconds(5))
        #expect(limiter.take("b", rule: rule, now: start) == nil)
        #expect(limiter.take("a", rule: rule, now: start + .seconds(5)) == nil)
    }
}
