import Commerce
import Foundation
import Testing
import TorsoKit
import Workflows

/// Checkout as a use case: carts, holds, payment and the order, without HTTP.
@Suite struct CheckoutUseCaseTests {
    @Test func completingPlacesOneOrderAndTakesItsUnits() async throws {
        try await UseCaseHarness.run { harness in
            // Given a published variant with 5 units and a ready cart for 2
            let (product, variant) = try await harness.product("a", stock: 5)
            try await harness.publish(product)
            let cart = try await harness.readyCart(variant, quantity: 2)
            // When it is completed, then completed again (a retried request)
            let first = try await harness.services.checkout.complete(cart.id, caller: cart.caller, payment: UseCaseHarness.card)
            let again = try await harness.services.checkout.complete(cart.id, caller: cart.caller, payment: UseCaseHarness.card)
            // Then one order was placed, at the list price plus shipping, and 2 units left stock
            #expect(first.created && !again.created)
            #expect(again.order.id == first.order.id)
            #expect(first.order.totals.total == 2 * 1_999 + 495)
            #expect(try await harness.onHand(product: product, variant: variant) == 3)
        }
    }

    @Test func concurrentCompletionsOfOneCartPlaceOneOrder() async throws {
        try await UseCaseHarness.run { harness in
            // Given a ready cart
            let (product, variant) = try await harness.product("b", stock: 3)
            try await harness.publish(product)
            let cart = try await harness.readyCart(variant, quantity: 1)
            // When ten completions race (each reads the cart once; the claim is a conditional write)
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        do {
                            let result = try await harness.services.checkout.complete(cart.id, caller: cart.caller, payment: UseCaseHarness.card)
                            return result.created ? "created" : "replayed \(result.order.id.rawValue)"
                        } catch let error as DomainError {
                            return error.code
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            // Then exactly one created the order; the others were told to wait or got the same order
            #expect(outcomes.filter { $0 == "created" }.count == 1, "\(outcomes)")
            #expect(outcomes.allSatisfy { $0 == "created" || $0 == "checkout_in_progress" || $0.hasPrefix("replayed ") }, "\(outcomes)")
            #expect(try await harness.onHand(product: product, variant: variant) == 2)
            let orders = try await harness.services.store.read { try await $0.orders.listOrders(status: nil, customer: nil, page: PageRequest(limit: 10)) }
            #expect(orders.count == 1)
        }
    }

    @Test func aCartChangedAfterCheckoutIsPlacedAsItIsNow() async throws {
        try await UseCaseHarness.run { harness in
            // Given a cart whose stock is held by checkout, then changed by the head
            let (product, variant) = try await harness.product("c", stock: 4)
            try await harness.publish(product)
            let cart = try await harness.readyCart(variant, quantity: 1)
            let held = try await harness.services.checkout.checkout(cart.id, caller: cart.caller)
            #expect(held.map(\.quantity) == [1])
            _ = try await harness.services.carts.addLine(cart.id, caller: cart.caller, variant: variant, quantity: 1, expectedVersion: nil)
            // When it is completed
            let result = try await harness.services.checkout.complete(cart.id, caller: cart.caller, payment: UseCaseHarness.card)
            // Then the order has the cart as it is now (2 units), not as it was when first held
            #expect(result.order.lines.map(\.quantity) == [2])
            #expect(try await harness.onHand(product: product, variant: variant) == 2)
        }
    }

    @Test func tooLittleStockRefusesTheClaimAndPlacesNothing() async throws {
        try await UseCaseHarness.run { harness in
            // Given a cart for more units than there are
            let (product, variant) = try await harness.product("d", stock: 1)
            try await harness.publish(product)
            let cart = try await harness.readyCart(variant, quantity: 1)
            let other = try await harness.readyCart(variant, quantity: 1)
            _ = try await harness.services.checkout.complete(other.id, caller: other.caller, payment: UseCaseHarness.card)
            // When it is completed, then it is refused with insufficient_stock and stock stays at 0
            await #expect { try await harness.services.checkout.complete(cart.id, caller: cart.caller, payment: UseCaseHarness.card) } throws: { error in
                (error as? DomainError)?.code == "insufficient_stock"
            }
            #expect(try await harness.onHand(product: product, variant: variant) == 0)
            let stillOpen = try await harness.services.carts.get(cart.id, caller: cart.caller).cart
            #expect(stillOpen.status == .open)
        }
    }
}
