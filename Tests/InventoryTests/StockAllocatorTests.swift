import Foundation
import Testing
@testable import Inventory
import TorsoKit

/// An instant the reservation tests start from.
private let noon = Timestamp.parse("2026-06-01T12:00:00Z")!

@Suite struct StockAllocatorTests {
    let levels = [StockLevel(locationId: "berlin", onHand: 5, reserved: 2),
                  StockLevel(locationId: "empty", onHand: 3, reserved: 3),
                  StockLevel(locationId: "hamburg", onHand: 10, reserved: 0)]

    @Test func theFirstLocationServesWhatItCan() throws {
        // Given / When
        let allocations = try StockAllocator().allocate(quantity: 3, levels: levels)
        // Then
        #expect(allocations == [StockAllocation(locationId: "berlin", quantity: 3)])
    }

    @Test func theRestSpillsToLaterLocationsInPriorityOrder() throws {
        // Given / When
        let allocations = try StockAllocator().allocate(quantity: 8, levels: levels)
        // Then
        #expect(allocations == [StockAllocation(locationId: "berlin", quantity: 3), StockAllocation(locationId: "hamburg", quantity: 5)])
    }

    @Test func tooLittleStockThrowsWithTheAvailableQuantity() {
        // Given / When / Then
        #expect(throws: InventoryError.insufficientStock(variantId: "var_1", requested: 14, available: 13)) {
            try StockAllocator().allocate(quantity: 14, variantId: "var_1", levels: levels)
        }
        #expect(InventoryError.insufficientStock(variantId: nil, requested: 14, available: 13).domainError.code == "insufficient_stock")
        #expect(throws: InventoryError.insufficientStock(variantId: nil, requested: 1, available: 0)) {
            try StockAllocator().allocate(quantity: 1, levels: [])
        }
    }

    @Test func backordersGoToTheFirstLocation() throws {
        // Given / When
        let allocations = try StockAllocator().allocate(quantity: 20, levels: levels, allowBackorder: true)
        let fromNothing = try StockAllocator().allocate(quantity: 2, levels: [StockLevel(locationId: "empty", onHand: 0)], allowBackorder: true)
        let overReserved = try StockAllocator().allocate(quantity: 2, levels: [StockLevel(locationId: "x", onHand: 1, reserved: 4),
                                                                              StockLevel(locationId: "y", onHand: 1)], allowBackorder: true)
        // Then
        #expect(allocations == [StockAllocation(locationId: "berlin", quantity: 3, backordered: 7),
                                StockAllocation(locationId: "hamburg", quantity: 10)])
        #expect(fromNothing == [StockAllocation(locationId: "empty", quantity: 0, backordered: 2)])
        #expect(overReserved == [StockAllocation(locationId: "x", quantity: 0, backordered: 1), StockAllocation(locationId: "y", quantity: 1)])
    }

    @Test func aNonPositiveQuantityIsRefused() {
        #expect(throws: InventoryError.invalidQuantity(pointer: "/quantity", quantity: 0)) {
            try StockAllocator().allocate(quantity: 0, levels: levels)
        }
        #expect(InventoryError.invalidQuantity(pointer: "/quantity", quantity: 0).domainError.code == "invalid_quantity")
    }

    @Test func reservationsExpireAfterFifteenMinutesByDefault() throws {
        // Given
        let reservation = Reservation(id: "res_1", variantId: "var_1", locationId: "berlin", quantity: 2, cartId: "cart_1", now: noon)
        // When / Then
        #expect(Reservation.defaultTTL == .seconds(900))
        #expect(reservation.expiresAt == noon.addingTimeInterval(900))
        #expect(!reservation.isExpired(at: noon.addingTimeInterval(899.999)))
        #expect(reservation.isExpired(at: noon.addingTimeInterval(900)))
        let data = try JSONCoding.encoder().encode(reservation)
        #expect(String(decoding: data, as: UTF8.self).contains("\"expires_at\":\"2026-06-01T12:15:00.000Z\""))
        #expect(try JSONCoding.decoder().decode(Reservation.self, from: data) == reservation)
    }
}
