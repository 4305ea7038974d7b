import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// Found from outside: four partial refunds of one order sent at once, at the same version, made
/// the provider refund four times while the order recorded one. The provider is now asked only
/// by the move that claimed the order first; the others are refused before any money moves.
@Suite struct OrderRefundRaceTests {
    @Test func partialRefundsSentAtOnceRefundOnceAtTheProviderAndOnTheOrder() async throws {
        try await withAPI { api in
            let (key, variants) = try await Shop.shop(api, suffix: "race", stock: 5, sizes: ["s"])
            let cart = try await Shop.readyCart(api, key: key, variants: variants)
            let order = try #require(try await Shop.complete(api, cart, key: key).json["id"]?.stringValue)
            for event in ["confirm", "fulfill", "ship", "deliver"] {
                #expect(try await api.post("/admin/v1/orders/\(order)/transitions", #"{"event":"\#(event)"}"#).status == .ok)
            }
            let version = try #require(try await api.get("/admin/v1/orders/\(order)").json["version"]?.numberValue)
            // When four partial refunds of 10.00 arrive at once, each at the version read
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await api.post("/admin/v1/orders/\(order)/transitions", #"{"event":"refund_partially","amount":1000}"#,
                                           headers: [.ifMatch: "\"\(Int(version))\""]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Then one went through, and the provider refunded what the order says
            #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .conflict }.count == 3, "\(statuses)")
            let stored = try await api.get("/admin/v1/orders/\(order)").json
            #expect(stored["payment"]?["refunded"] == .number(1000), "\(stored["payment"] ?? .null)")
            // and refunding the rest refunds exactly the rest at the provider (which refuses more than it holds)
            let rest = try await api.post("/admin/v1/orders/\(order)/transitions", #"{"event":"refund"}"#)
            #expect(rest.status == .ok, "\(rest.text)")
            #expect(rest.json["payment"]?["refunded"] == rest.json["payment"]?["captured"])
        }
    }
}
