import Foundation
import Inventory
import Testing
import TorsoKit
@testable import Workflows

/// Stock counted down while carts hold it (a stock take, damaged goods): the units that are not
/// there are never sold, and the holds that can no longer be kept let go.
@Suite struct CountedDownUseCaseTests {
    @Test func unitsCountedAwayBetweenHoldAndOrderAreNotSold() async throws {
        try await UseCaseHarness.run { harness in
            // Given three units held for a cart
            let (product, variant) = try await harness.product("counted", stock: 3)
            let holder = "cart_counted"
            // When two are written off after the hold, before the order takes them
            let taking = try await harness.services.store.transaction { tx -> Result<[Reservation], DomainError> in
                _ = try await InventoryService.reserve(holder: holder, lines: [.init(variantId: variant, quantity: 3)], locations: nil,
                                                       now: Date(), ttl: .seconds(900), in: tx)
                try await tx.stock.setStock([StockKey(variantId: variant, location: "berlin"): (productId: product, onHand: 1)])
                do { return .success(try await InventoryService.consume(holder: holder, now: Date(), in: tx)) } catch let error as DomainError {
                    return .failure(error)
                }
            }
            // Then the order cannot take them, and on hand never goes below zero
            guard case .failure(let error) = taking else { Issue.record("three units taken where one was"); return }
            #expect(error.code == "insufficient_stock")
            #expect(try await harness.onHand(product: product, variant: variant) >= 0)
        }
    }

    @Test func aCompletionThatFindsTooFewUnitsLetsItsHoldsGo() async throws {
        try await UseCaseHarness.run { harness in
            // Given a cart that checked out three units
            let (product, variant) = try await harness.product("released", stock: 3)
            try await harness.publish(product)
            let cart = try await harness.readyCart(variant, quantity: 3)
            _ = try await harness.services.checkout.checkout(cart.id, caller: cart.caller)
            // When a stock take finds two, and the buyer completes
            _ = try await harness.services.stock.adjust(.init(rows: [AdjustmentRow(sku: "SKU-released", location: "berlin", change: .set(2))],
                                                              reason: "stock take"), context: harness.context)
            await #expect(throws: DomainError.self) {
                try await harness.services.checkout.complete(cart.id, caller: cart.caller, payment: UseCaseHarness.card)
            }
            // Then the cart holds nothing any more: the two units are for sale at once
            let held = try await harness.services.store.read { tx in
                try await tx.reservations.reservations(holder: cart.id, asOf: Timestamp.string(Date()))
            }
            #expect(held.isEmpty, "\(held)")
            #expect(try await harness.onHand(product: product, variant: variant) == 2)
        }
    }

    @Test func salesRacingWriteOffsNeverTakeOnHandBelowZero() async throws {
        try await UseCaseHarness.run { harness in
            // Given ten units, twelve buyers with one unit in their carts, and eight write-offs of one
            let (product, variant) = try await harness.product("race", stock: 10)
            try await harness.publish(product)
            var carts: [HarnessCart] = []
            for _ in 0..<12 { carts.append(try await harness.readyCart(variant, quantity: 1)) }
            for cart in carts { _ = try? await harness.services.checkout.checkout(cart.id, caller: cart.caller) }
            // When they all go at once
            let (orders, writeOffs) = await withTaskGroup(of: (Int, Int).self) { group in
                for cart in carts {
                    group.addTask {
                        let placed = try? await harness.services.checkout.complete(cart.id, caller: cart.caller, payment: UseCaseHarness.card)
                        return (placed == nil ? 0 : 1, 0)
                    }
                }
                for _ in 0..<8 {
                    group.addTask {
                        let done = try? await harness.services.stock.adjust(.init(rows: [AdjustmentRow(sku: "SKU-race", location: "berlin", change: .delta(-1))],
                                                                                  reason: "damaged"), context: harness.context)
                        return (0, done == nil ? 0 : 1)
                    }
                }
                return await group.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
            }
            // Then every unit is sold or written off once, and none that was not there
            let left = try await harness.onHand(product: product, variant: variant)
            #expect(left >= 0 && left == 10 - orders - writeOffs, "orders \(orders), write-offs \(writeOffs), left \(left)")
        }
    }
}
