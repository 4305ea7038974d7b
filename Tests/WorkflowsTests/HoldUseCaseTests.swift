import Foundation
import Testing
import TorsoKit
import Workflows

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
            // And once that has passed, a new hold is a new hold
            let later = try await harness.services.inventory.reserve(holder: "cart_hoarder", lines: [line], now: noon.addingTimeInterval(1_000))
            #expect(later.map(\.expiresAt) == [noon.addingTimeInterval(1_900)])
        }
    }
}
