import Foundation
import Testing
@testable import Commerce
import TorsoKit

@Suite struct CartTotalsTests {
    let table = TaxTable(rates: [
        TaxRate(country: "DE", taxClass: TaxClass.standard, rateBasisPoints: 1900),
        TaxRate(country: "DE", taxClass: TaxClass.reduced, rateBasisPoints: 700),
        TaxRate(country: "US", region: "CA", taxClass: TaxClass.standard, rateBasisPoints: 725),
    ])

    @Test func inclusiveTotalsContainTheTax() throws {
        // Given
        let lines = [TotalsLine(lineId: "a", unitAmount: 1190, quantity: 2, taxClass: TaxClass.standard),
                     TotalsLine(lineId: "b", unitAmount: 1070, quantity: 1, taxClass: TaxClass.reduced)]
        // When
        let totals = try CartTotals(taxTable: table, taxMode: .inclusive)
            .calculate(lines: lines, discounts: ["a": 238], shippingAmount: 595, country: "DE", currency: eur)
        // Then: a: 2380 − 238 = 2142 → tax 342; b: 1070 → tax 70; shipping 595 → tax 95
        #expect(totals.lines == [LineTotals(lineId: "a", subtotal: 2380, discount: 238, tax: 342, total: 2142),
                                 LineTotals(lineId: "b", subtotal: 1070, discount: 0, tax: 70, total: 1070)])
        #expect(totals.subtotal == 3450)
        #expect(totals.discountTotal == 238)
        #expect(totals.shippingTotal == 595)
        #expect(totals.shippingTax == 95)
        #expect(totals.taxTotal == 507)
        #expect(totals.total == 3807)
    }

    @Test func exclusiveTotalsAddTheTax() throws {
        // Given
        let lines = [TotalsLine(lineId: "a", unitAmount: 1999, quantity: 3)]
        // When
        let totals = try CartTotals(taxTable: table, taxMode: .exclusive)
            .calculate(lines: lines, discounts: ["a": 597], shippingAmount: 1000, country: "US", region: "CA", currency: usd)
        // Then: 5997 − 597 = 5400 → 391.5 → 392; shipping 1000 → 72.5 → 73
        #expect(totals.lines == [LineTotals(lineId: "a", subtotal: 5997, discount: 597, tax: 392, total: 5792)])
        #expect(totals.taxTotal == 465)
        #expect(totals.total == 5997 - 597 + 1000 + 465)
    }

    @Test func aDiscountLargerThanTheLineIsCapped() throws {
        // Given
        let lines = [TotalsLine(lineId: "a", unitAmount: 500, quantity: 1)]
        // When
        let totals = try CartTotals(taxTable: table, taxMode: .exclusive)
            .calculate(lines: lines, discounts: ["a": 9999, "ghost": 100], country: "DE", currency: eur)
        // Then
        #expect(totals.lines == [LineTotals(lineId: "a", subtotal: 500, discount: 500, tax: 0, total: 0)])
        #expect(totals.total == 0)
    }

    @Test func negativeInputsAreRefused() {
        // Given
        let calculator = CartTotals(taxTable: table, taxMode: .inclusive)
        // When / Then
        #expect(commerceErrorCode { _ = try calculator.calculate(lines: [TotalsLine(lineId: "a", unitAmount: -1, quantity: 1)], country: "DE", currency: eur) } == "invalid_amount")
        #expect(commerceErrorCode { _ = try calculator.calculate(lines: [TotalsLine(lineId: "a", unitAmount: 1, quantity: 0)], country: "DE", currency: eur) } == "invalid_quantity")
        #expect(commerceErrorCode { _ = try calculator.calculate(lines: [TotalsLine(lineId: "a", unitAmount: 1, quantity: 1)], discounts: ["a": -5], country: "DE", currency: eur) } == "invalid_amount")
        #expect(commerceErrorCode { _ = try calculator.calculate(lines: [], shippingAmount: -1, country: "DE", currency: eur) } == "invalid_amount")
        #expect(commerceErrorCode { _ = try calculator.calculate(lines: [TotalsLine(lineId: "a", unitAmount: .max / 2, quantity: 3)], country: "DE", currency: eur) } == "amount_overflow")
    }

    @Test func anEmptyCartCostsOnlyShipping() throws {
        // Given / When
        let totals = try CartTotals(taxTable: table, taxMode: .exclusive).calculate(lines: [], shippingAmount: 100, country: "DE", currency: eur)
        // Then
        #expect(totals.total == 119)
        #expect(totals.lines.isEmpty)
    }

    /// Prices, promotions and totals for 500 seeded random carts.
    @Test func generatedCartsKeepEveryInvariant() throws {
        var random = SplitMix64(seed: 0x70_72_73_6F)
        let classes = [TaxClass.standard, TaxClass.reduced, TaxClass.zero, "unknown"]
        for cartNumber in 0..<500 {
            // Given
            let lines = (0..<Int.random(in: 0...8, using: &random)).map { index in
                CartLineInput(lineId: "line-\(Int.random(in: 0...99, using: &random))-\(index)", variantId: "v\(index)",
                              productId: "p\(Int.random(in: 0...4, using: &random))",
                              categories: Bool.random(using: &random) ? ["c1"] : ["c2", "c0"],
                              quantity: Int.random(in: 1...12, using: &random),
                              unitAmount: Int64.random(in: 0...250_000, using: &random))
            }
            let promotions = (0..<Int.random(in: 0...4, using: &random)).map { index in
                Promotion(id: "promo-\(index)", name: "P\(index)",
                          kind: Bool.random(using: &random)
                              ? .percentage(basisPoints: Int.random(in: 1...12_000, using: &random))
                              : .fixed(amount: Int64.random(in: 1...400_000, using: &random), currency: eur),
                          target: Bool.random(using: &random)
                              ? .order : .items(products: ["p\(Int.random(in: 0...4, using: &random))"], categories: ["c0"]),
                          priority: Int.random(in: 0...3, using: &random), stackable: Int.random(in: 0...3, using: &random) > 0)
            }
            let mode: TaxMode = Bool.random(using: &random) ? .inclusive : .exclusive
            let shipping = Int64.random(in: 0...5000, using: &random)
            let taxClasses = lines.map { _ in classes.randomElement(using: &random)! }

            // When
            func run() throws -> (PromotionResult, Totals) {
                let discounts = PromotionEvaluator(promotions: promotions).evaluate(lines: lines, currency: eur, now: noon)
                let totals = try CartTotals(taxTable: table, taxMode: mode).calculate(
                    lines: zip(lines, taxClasses).map { TotalsLine(lineId: $0.lineId, unitAmount: $0.unitAmount, quantity: $0.quantity, taxClass: $1) },
                    discounts: discounts.lineDiscounts, shippingAmount: shipping, shippingTaxClass: TaxClass.standard,
                    country: "DE", currency: eur)
                return (discounts, totals)
            }
            let (discounts, totals) = try run()
            let (discountsAgain, totalsAgain) = try run()

            // Then
            let context = Comment(rawValue: "cart \(cartNumber)")
            #expect(discounts == discountsAgain, context)
            #expect(totals == totalsAgain, context)
            for applied in discounts.discounts {
                #expect(applied.amount > 0, context)
                #expect(applied.allocations.reduce(0) { $0 + $1.amount } == applied.amount, context)
            }
            for line in lines {
                #expect((discounts.lineDiscounts[line.lineId] ?? 0) <= line.amount, context)
            }
            #expect(discounts.discountTotal <= discounts.subtotal, context)
            #expect(totals.discountTotal == discounts.discountTotal, context)
            #expect(totals.total == totals.subtotal - totals.discountTotal + totals.shippingTotal + (mode == .exclusive ? totals.taxTotal : 0), context)
            #expect(totals.subtotal == totals.lines.reduce(0) { $0 + $1.subtotal }, context)
            #expect(totals.discountTotal == totals.lines.reduce(0) { $0 + $1.discount }, context)
            #expect(totals.taxTotal == totals.lines.reduce(0) { $0 + $1.tax } + totals.shippingTax, context)
            #expect(totals.total == totals.lines.reduce(0) { $0 + $1.total } + totals.shippingTotal + (mode == .exclusive ? totals.shippingTax : 0), context)
            for line in totals.lines {
                #expect(line.discount >= 0 && line.discount <= line.subtotal && line.tax >= 0 && line.total >= 0, context)
                #expect(line.total == line.subtotal - line.discount + (mode == .exclusive ? line.tax : 0), context)
                if mode == .inclusive { #expect(line.tax <= line.total, context) }
            }
            #expect(totals.total >= 0 && totals.taxTotal >= 0, context)
        }
    }
}
