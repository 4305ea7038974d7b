import Catalog
import Foundation
import Testing
import TorsoApp
import TorsoKit
import TorsoTestSupport
import Workflows

/// Stock reservations on the backend chosen by TORSO_TEST_DATABASE: no oversell under
/// concurrent buyers, expiry, and consumption when an order is placed.
@Suite struct ReservationTests {
    let context = WriteContext(actor: .init(keyId: "test", name: "reservation tests"))

    /// A product whose first variant has `units` on hand in Berlin; returns that variant's ID.
    func variant(_ services: TorsoServices, units: Int) async throws -> String {
        try await Fixtures.loadSettings(services)
        let text = Fixtures.productBody("race", variants: 1).replacingOccurrences(of: #""on_hand":5"#, with: #""on_hand":\#(units)"#)
        let body = try JSONValue.parse(bytes: Array(text.utf8))
        let created = try await services.products.create(body, context: context)
        let product = try JSONCoding.decode(Product.self, bytes: Array(created.body))
        return product.variants[0].id.rawValue
    }

    func onHand(_ services: TorsoServices, _ variant: String) async throws -> Int {
        try await services.store.read { tx in try await tx.stock.lockStock(variants: [variant], asOf: Timestamp.string(Date()), excludingHolder: "") }[variant]?
            .reduce(0) { $0 + $1.onHand } ?? -1
    }

    @Test func a100BuyersRaceFor7UnitsAndExactly7Win() async throws {
        try await TestDatabase.withServices { services in
            // Given a variant with 7 units
            let variant = try await variant(services, units: 7)
            // When 100 carts reserve one unit each, all at once, and the winners place their orders
            let outcomes = await withTaskGroup(of: Result<String, any Error>.self) { group in
                for buyer in 0..<100 {
                    group.addTask {
                        do {
                            try await services.inventory.reserve(holder: "cart_\(buyer)", lines: [.init(variantId: variant, quantity: 1)])
                            return .success("cart_\(buyer)")
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.compactMap { try? $0.get() }
            let losers = outcomes.compactMap { outcome -> DomainError? in
                if case .failure(let error) = outcome { return error as? DomainError } else { return nil }
            }
            // Then exactly 7 hold a unit, every other buyer got 409 insufficient_stock, and stock ends at 0
            #expect(winners.count == 7)
            #expect(losers.count == 93)
            #expect(losers.allSatisfy { $0.code == "insufficient_stock" && $0.kind == .conflict })
            let consumed = try await withThrowingTaskGroup(of: Int.self) { group in
                for holder in winners {
                    group.addTask { try await services.store.transaction { try await InventoryService.consume(holder: holder, now: Date(), in: $0).count } }
                }
                return try await group.reduce(0, +)
            }
            #expect(consumed == 7)
            #expect(try await onHand(services, variant) == 0)
            await #expect(throws: DomainError.self) {
                try await services.inventory.reserve(holder: "late", lines: [.init(variantId: variant, quantity: 1)])
            }
        }
    }

    @Test func expiredReservationsStopHoldingStockAndReleasingFreesIt() async throws {
        try await TestDatabase.withServices { services in
            // Given 2 units, both held by one cart for a second
            let variant = try await variant(services, units: 2)
            let start = Date()
            try await services.inventory.reserve(holder: "a", lines: [.init(variantId: variant, quantity: 2)], now: start, ttl: .seconds(1))
            // When another cart asks before and after the hold expires
            await #expect(throws: DomainError.self) {
                try await services.inventory.reserve(holder: "b", lines: [.init(variantId: variant, quantity: 1)], now: start.addingTimeInterval(0.5))
            }
            let later = start.addingTimeInterval(1)
            let held = try await services.inventory.reserve(holder: "b", lines: [.init(variantId: variant, quantity: 2)], now: later)
            // Then it gets the units once the first hold lapsed; an expired hold is not consumed
            #expect(held.map(\.quantity) == [2])
            #expect(try await services.inventory.expire(asOf: later) == [variant])
            #expect(try await services.store.transaction { try await InventoryService.consume(holder: "a", now: later, in: $0) }.isEmpty)
            // And releasing gives the units back
            try await services.inventory.release(holder: "b")
            #expect(try await services.inventory.reserve(holder: "c", lines: [.init(variantId: variant, quantity: 2)]).count == 1)
            #expect(try await onHand(services, variant) == 2)
        }
    }

    @Test func backordersMayGoBelowZeroAndBadQuantitiesAreRefused() async throws {
        try await TestDatabase.withServices { services in
            // Given 1 unit
            let variant = try await variant(services, units: 1)
            // When a cart takes 3 with backorders allowed, and another asks for 0 or for more than exists
            try await services.inventory.reserve(holder: "a", lines: [.init(variantId: variant, quantity: 3, allowBackorder: true)])
            let zero = await #expect(throws: DomainError.self) {
                try await services.inventory.reserve(holder: "b", lines: [.init(variantId: variant, quantity: 0)])
            }
            let none = await #expect(throws: DomainError.self) {
                try await services.inventory.reserve(holder: "b", lines: [.init(variantId: "var_unknown", quantity: 1)])
            }
            // Then the order takes stock to -2, and the others were told why
            _ = try await services.store.transaction { try await InventoryService.consume(holder: "a", now: Date(), backorder: [variant], in: $0) }
            #expect(try await onHand(services, variant) == -2)
            #expect(zero?.code == "invalid_quantity")
            #expect(none?.code == "insufficient_stock")
        }
    }
}
