import Testing
@testable import Inventory
import TorsoKit

@Suite struct StockAdjusterTests {
    static let tee = StockedVariant(id: "var_tee", sku: "TEE", productId: "prod_tee", allowBackorder: false)
    static let preorder = StockedVariant(id: "var_pre", sku: "PRE", productId: "prod_pre", allowBackorder: true)
    let adjuster = StockAdjuster(variants: [tee, preorder], locations: ["berlin", "hamburg"])

    func plan(_ rows: [AdjustmentRow], onHand: [StockKey: Int] = [:]) throws -> [StockKey: Int] {
        try adjuster.plan(rows, onHand: onHand, batch: "adj_1", reason: "test", reference: nil, actor: "key_1", at: "2026-11-27T00:00:00Z")
            .levels.mapValues(\.onHand)
    }

    func problems(_ rows: [AdjustmentRow], onHand: [StockKey: Int] = [:]) -> [String] {
        do {
            _ = try plan(rows, onHand: onHand)
            return []
        } catch let error as DomainError {
            return error.errors.map { "\($0.pointer) \($0.code)" }
        } catch {
            return ["\(error)"]
        }
    }

    @Test func rowsApplyInOrderAndATransferIsAPair() throws {
        let levels = try plan([
            AdjustmentRow(sku: "TEE", location: "berlin", change: .set(10)),
            AdjustmentRow(sku: "TEE", location: "berlin", change: .delta(-2)),
            AdjustmentRow(variantId: "var_tee", location: "berlin", change: .transfer(to: "hamburg", quantity: 3)),
        ])
        #expect(levels == [StockKey(variantId: "var_tee", location: "berlin"): 5, StockKey(variantId: "var_tee", location: "hamburg"): 3])
    }

    @Test func everyProblemOfARowIsReported() {
        #expect(problems([AdjustmentRow(sku: "NOPE", location: "moon", change: .set(-1))])
                == ["/rows/0/sku unknown_sku", "/rows/0/location unknown_location", "/rows/0/set negative_stock"])
    }

    @Test func countsStayBetweenZeroAndTheCap() {
        let key = StockKey(variantId: "var_tee", location: "berlin")
        #expect(problems([AdjustmentRow(sku: "TEE", location: "berlin", change: .set(StockAdjuster.maxCount + 1))]) == ["/rows/0/set out_of_range"])
        #expect(problems([AdjustmentRow(sku: "TEE", location: "berlin", change: .delta(2))], onHand: [key: StockAdjuster.maxCount])
                == ["/rows/0/delta out_of_range"])
        #expect(problems([AdjustmentRow(sku: "TEE", location: "berlin", change: .delta(-6))], onHand: [key: 5]) == ["/rows/0/delta negative_stock"])
    }

    @Test func backordersMayGoBelowZeroButUnitsThatAreNotThereCannotMove() throws {
        let key = StockKey(variantId: "var_pre", location: "berlin")
        #expect(try plan([AdjustmentRow(sku: "PRE", location: "berlin", change: .delta(-4))]) == [key: -4])
        #expect(problems([AdjustmentRow(sku: "PRE", location: "berlin", change: .transfer(to: "hamburg", quantity: 3))], onHand: [key: -4])
                == ["/rows/0/quantity negative_stock"])
    }
}
