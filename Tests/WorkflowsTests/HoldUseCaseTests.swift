import Foundation
import Testing
import TorsoKit
@testable import Workflows

/// Holds on stock as a use case: holding again never extends a hold.
@Suite struct HoldUseCaseTests {
    @Test func holdingAgainEndsWhenTheFirstHoldEnds() async throws {
        try await UseCaseHarness.run { harness in
            // Given a hold taken at noon for 15 minutes
            let (_, variant) = try await harness.product("hold", stock: 5)
            let noon = try #require(Timestamp.parse("2026-11-27T12:00:00Z"))
            let line = InventoryService.Line(variantId: variant, quantity: 1)
            let first = try await harness.services.inventory.reserve(holder: "cart_hoarder", lines: [line], now: noon)
            #expect(first.map(\.expiresAt) == [noon.addingTimeInterval(900)])
            // When the holder holds again ten minutes later, for more units
            let again = try await harness.services.inventory.reserve(holder: "cart_hoarder", lines: [InventoryService.Line(variantId: variant, quantity: 2)],
                                                                    now: noon.addingTimeInterval(600))
            // Then the new hold ends with the first, not 15 minutes later
            #expect(again.map(\.expiresAt) == [noon.addingTimeInterval(900)])
            // A completion at the last second keeps the hold two minutes for the payment
            let paying = try await harness.services.store.transaction { tx in
                try await InventoryService.reserve(holder: "cart_hoarder", lines: [line], locations: nil, now: noon.addingTimeInterval(899),
                                                   ttl: .seconds(900), atLeast: .seconds(120), in: tx)
            }
            #expect(paying.map(\.expiresAt) == [noon.addingTimeInterval(1_019)])
            // And once that has passed, a new hold is a new hold
            let later = try await harness.services.inventory.reserve(holder: "cart_hoarder", lines: [line], now: noon.addingTimeInterval(1_100))
            #expect(later.map(\.expiresAt) == [noon.addingTimeInterval(2_000)])
        }
    }
}

/// Housekeeping as a use case: abandoned carts and old idempotency answers go, nothing else.
@Suite struct HousekeepingUseCaseTests {
    @Test func abandonedCartsAndOldIdempotencyAnswersAreSwept() async throws {
        try await UseCaseHarness.run { harness in
            // Given an open cart, a completed one, and an idempotency answer
            let (product, variant) = try await harness.product("sweep", stock: 5)
            try await harness.publish(product)
            let open = try await harness.readyCart(variant, quantity: 1)
            let done = try await harness.readyCart(variant, quantity: 1)
            _ = try await harness.services.checkout.complete(done.id, caller: done.caller, payment: UseCaseHarness.card)
            try await harness.services.store.transaction { tx in
                try await tx.idempotency.saveIdempotentResponse(principal: "key_1", key: "retry-me", fingerprint: "f",
                                                                response: .init(status: 201, body: Data("{}".utf8)), at: Timestamp.string(Date()))
            }
            let housekeeping = Housekeeping(store: harness.services.store)
            // When swept now, nothing goes
            #expect(try await housekeeping.sweep().carts == 0)
            // When swept 31 days later, the open cart and the answer go; the completed cart stays
            let swept = try await housekeeping.sweep(now: Date().addingTimeInterval(31 * 24 * 3_600))
            #expect(swept.carts == 1 && swept.idempotency == 1)
            await #expect(throws: DomainError.self) { try await harness.services.carts.get(open.id, caller: open.caller) }
            #expect(try await harness.services.carts.get(done.id, caller: done.caller).cart.status == .completed)
        }
    }
}

/// The bound on password work.
@Suite struct WorkGateTests {
    @Test func beyondTheQueueCallersAreToldToComeBack() async throws {
        // Given a gate one wide with one place in its queue, and someone inside
        let gate = WorkGate(width: 1, queue: 1)
        try await gate.enter()
        // When a second caller arrives it waits; a third is refused with busy
        let second = Task { try await gate.enter() }
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: DomainError.self) { try await gate.enter() }
        // Then the second gets in when the first leaves
        gate.leave()
        try await second.value
        gate.leave()
        try await gate.enter()
        gate.leave()
    }
}
