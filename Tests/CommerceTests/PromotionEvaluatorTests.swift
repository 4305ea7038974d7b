import Foundation
import Testing
@testable import Commerce
import TorsoKit

@Suite struct PromotionEvaluatorTests {
    let shirt = CartLineInput(lineId: "l1", variantId: "var_shirt", productId: "prod_shirt", categories: ["apparel", "shirts"],
                              quantity: 2, unitAmount: 1000)
    let mug = CartLineInput(lineId: "l2", variantId: "var_mug", productId: "prod_mug", categories: ["home"],
                            quantity: 1, unitAmount: 1000)

    func evaluate(_ promotions: [Promotion], lines: [CartLineInput]? = nil, codes: [String] = [], now: Date = noon,
                  usage: [String: Int] = [:]) -> PromotionResult {
        PromotionEvaluator(promotions: promotions)
            .evaluate(lines: lines ?? [shirt, mug], currency: eur, codes: codes, now: now, customerUsage: usage)
    }

    func reasons(_ result: PromotionResult) -> [String: String] {
        Dictionary(uniqueKeysWithValues: result.rejections.map { ($0.code, $0.reason.rawValue) })
    }

    @Test func eachRejectionHasItsStableCode() {
        // Given
        let promotions = [
            Promotion(id: "p1", code: "LATER", name: "Later", kind: .percentage(basisPoints: 1000), startsAt: hours(1)),
            Promotion(id: "p2", code: "OVER", name: "Over", kind: .percentage(basisPoints: 1000), endsAt: noon),
            Promotion(id: "p3", code: "BIG", name: "Big", kind: .percentage(basisPoints: 1000), minimumSubtotal: 3001),
            Promotion(id: "p4", code: "USED", name: "Used", kind: .percentage(basisPoints: 1000), usageLimit: 100, timesUsed: 100),
            Promotion(id: "p5", code: "ONCE", name: "Once", kind: .percentage(basisPoints: 1000), usageLimitPerCustomer: 1),
            Promotion(id: "p6", code: "SHOES", name: "Shoes", kind: .percentage(basisPoints: 1000),
                      target: .items(products: ["prod_shoe"], categories: ["shoes"])),
            Promotion(id: "p7", code: "DOLLARS", name: "Dollars", kind: .fixed(amount: 500, currency: usd)),
        ]
        // When
        let result = evaluate(promotions, codes: ["LATER", "OVER", "BIG", "USED", "ONCE", "SHOES", "DOLLARS", "NOPE"],
                              usage: ["p5": 1])
        // Then
        #expect(result.discounts.isEmpty)
        #expect(result.rejections.map(\.code) == ["LATER", "OVER", "BIG", "USED", "ONCE", "SHOES", "DOLLARS", "NOPE"])
        #expect(reasons(result) == [
            "LATER": "promotion_not_started", "OVER": "promotion_expired", "BIG": "minimum_not_met",
            "USED": "usage_limit_reached", "ONCE": "usage_limit_reached", "SHOES": "not_applicable",
            "DOLLARS": "not_applicable", "NOPE": "promotion_not_found",
        ])
    }

    @Test func theMinimumIsInclusiveAndUsageBelowTheLimitIsFine() {
        // Given
        let promotion = Promotion(id: "p1", code: "BIG", name: "Big", kind: .percentage(basisPoints: 1000), minimumSubtotal: 3000,
                                  usageLimit: 5, usageLimitPerCustomer: 2, timesUsed: 4)
        // When
        let result = evaluate([promotion], codes: ["big"], usage: ["p1": 1])
        // Then: codes compare case-insensitively and report as entered
        #expect(result.rejections.isEmpty)
        #expect(result.discounts.map(\.code) == ["big"])
        #expect(result.discountTotal == 300)
    }

    @Test func automaticPromotionsApplyWithoutACodeAndAreNeverRejected() {
        // Given
        let promotions = [
            Promotion(id: "auto", name: "Summer", kind: .percentage(basisPoints: 500)),
            Promotion(id: "auto-ended", name: "Spring", kind: .percentage(basisPoints: 5000), endsAt: noon),
        ]
        // When
        let result = evaluate(promotions)
        // Then
        #expect(result.discounts.map(\.promotionId) == ["auto"])
        #expect(result.discounts.first?.code == nil)
        #expect(result.discountTotal == 150)
        #expect(result.rejections.isEmpty)
    }

    @Test func anOrderPercentageIsAllocatedProportionally() {
        // Given
        let promotion = Promotion(id: "p", code: "TEN", name: "Ten", kind: .percentage(basisPoints: 1000))
        // When
        let result = evaluate([promotion], codes: ["TEN"])
        // Then
        #expect(result.subtotal == 3000)
        #expect(result.discounts.first?.allocations == [LineDiscount(lineId: "l1", amount: 200), LineDiscount(lineId: "l2", amount: 100)])
        #expect(result.lineDiscounts == ["l1": 200, "l2": 100])
    }

    @Test func remainderCentsGoToTheLargestLinesThenByLineID() {
        // Given
        let lines = [
            CartLineInput(lineId: "c", variantId: "v", productId: "p", quantity: 1, unitAmount: 1000),
            CartLineInput(lineId: "b", variantId: "v", productId: "p", quantity: 1, unitAmount: 1000),
            CartLineInput(lineId: "a", variantId: "v", productId: "p", quantity: 1, unitAmount: 1000),
            CartLineInput(lineId: "z", variantId: "v", productId: "p", quantity: 3, unitAmount: 100),
            CartLineInput(lineId: "y", variantId: "v", productId: "p", quantity: 1, unitAmount: 100),
        ]
        let hundred = Promotion(id: "p", code: "HUNDRED", name: "100 off", kind: .fixed(amount: 101, currency: eur))
        // When
        let result = evaluate([hundred], lines: lines, codes: ["HUNDRED"])
        // Then: exact shares 29.71 × 3, 8.91, 2.97 → 29, 29, 29, 8, 2 = 97; the 4 left go to the
        // largest lines (a, b, c by line ID, then z), not to the largest fractions
        #expect(result.lineDiscounts == ["a": 30, "b": 30, "c": 30, "z": 9, "y": 2])
        #expect(result.discountTotal == 101)
    }

    @Test func allocationOfASmallAmountFavoursTheLargestLine() {
        // Given
        let lines = [
            CartLineInput(lineId: "a", variantId: "v", productId: "p", quantity: 1, unitAmount: 100),
            CartLineInput(lineId: "z", variantId: "v", productId: "p", quantity: 1, unitAmount: 300),
        ]
        let five = Promotion(id: "p", name: "5 off", kind: .fixed(amount: 5, currency: eur))
        // When
        let result = evaluate([five], lines: lines)
        // Then: 3.75 and 1.25 → 3 and 1, the extra cent to z
        #expect(result.lineDiscounts == ["z": 4, "a": 1])
    }

    @Test func discountsAreCappedAtTheAmountTheyApplyTo() {
        // Given
        let order = Promotion(id: "order", code: "HUGE", name: "Huge", kind: .fixed(amount: 99_999, currency: eur))
        let items = Promotion(id: "items", code: "PERUNIT", name: "Per unit", kind: .fixed(amount: 1_500, currency: eur),
                              target: .items(products: ["prod_shirt"], categories: []))
        let overHundred = Promotion(id: "pct", code: "ALL", name: "150 %", kind: .percentage(basisPoints: 15_000))
        // When
        let orderResult = evaluate([order], codes: ["HUGE"])
        let itemResult = evaluate([items], codes: ["PERUNIT"])
        let percentResult = evaluate([overHundred], codes: ["ALL"])
        // Then
        #expect(orderResult.lineDiscounts == ["l1": 2000, "l2": 1000])
        #expect(itemResult.lineDiscounts == ["l1": 2000])
        #expect(percentResult.discountTotal == 3000)
    }

    @Test func itemPromotionsMatchProductsOrCategoriesIncludingAncestors() {
        // Given
        let perUnit = Promotion(id: "p", name: "2 off apparel", kind: .fixed(amount: 200, currency: eur),
                                target: .items(products: [], categories: ["apparel"]))
        let mugs = Promotion(id: "m", name: "10 % off mugs", kind: .percentage(basisPoints: 1000),
                             target: .items(products: ["prod_mug"], categories: []))
        // When
        let result = evaluate([perUnit, mugs])
        // Then: 200 per unit × 2 shirts; 10 % of the mug
        #expect(result.lineDiscounts == ["l1": 400, "l2": 100])
    }

    @Test func stackablePromotionsApplyItemsFirstThenOrderOnWhatIsLeft() {
        // Given
        let order = Promotion(id: "order", code: "FIVE", name: "5 off", kind: .fixed(amount: 500, currency: eur), priority: 9)
        let shirts = Promotion(id: "shirts", code: "SHIRTS", name: "10 % shirts", kind: .percentage(basisPoints: 1000),
                               target: .items(products: [], categories: ["shirts"]), priority: 0)
        // When
        let result = evaluate([order, shirts], codes: ["FIVE", "SHIRTS"])
        // Then: shirts 2000 − 200 = 1800, mug 1000; 500 split 321.43 / 178.57 → 321 / 178 + 1 to the shirt line
        #expect(result.discounts.map(\.promotionId) == ["shirts", "order"])
        #expect(result.discounts.map(\.amount) == [200, 500])
        #expect(result.lineDiscounts == ["l1": 522, "l2": 178])
    }

    @Test func stackablePercentagesCompound() {
        // Given
        let first = Promotion(id: "a", name: "10 %", kind: .percentage(basisPoints: 1000), priority: 2)
        let second = Promotion(id: "b", name: "10 % more", kind: .percentage(basisPoints: 1000), priority: 1)
        // When
        let result = evaluate([first, second])
        // Then
        #expect(result.discounts.map(\.amount) == [300, 270])
    }

    @Test func priorityDecidesTheOrderAmongStackables() {
        // Given
        let percent = Promotion(id: "pct", name: "10 %", kind: .percentage(basisPoints: 1000), priority: 1)
        let fixed = Promotion(id: "fix", name: "10 off", kind: .fixed(amount: 1000, currency: eur), priority: 2)
        // When
        let fixedFirst = evaluate([percent, fixed])
        var swapped = fixed
        swapped.priority = 0
        let percentFirst = evaluate([percent, swapped])
        // Then
        #expect(fixedFirst.discounts.map(\.amount) == [1000, 200])
        #expect(percentFirst.discounts.map(\.amount) == [300, 1000])
    }

    @Test func aNonStackablePromotionWinsOnlyWhenItGivesMoreAlone() {
        // Given
        let stackA = Promotion(id: "a", code: "A", name: "10 %", kind: .percentage(basisPoints: 1000))
        let stackB = Promotion(id: "b", code: "B", name: "1 off", kind: .fixed(amount: 100, currency: eur))
        let bigger = Promotion(id: "x", code: "X", name: "4.01 off", kind: .fixed(amount: 401, currency: eur), stackable: false)
        let equal = Promotion(id: "y", code: "Y", name: "4 off", kind: .fixed(amount: 400, currency: eur), stackable: false)
        // When
        let wins = evaluate([stackA, stackB, bigger, equal], codes: ["A", "B", "X", "Y"])
        let loses = evaluate([stackA, stackB, equal], codes: ["A", "B", "Y"])
        // Then
        #expect(wins.discounts.map(\.promotionId) == ["x"])
        #expect(wins.discountTotal == 401)
        #expect(reasons(wins) == ["A": "not_combinable", "B": "not_combinable", "Y": "not_combinable"])
        #expect(loses.discounts.map(\.promotionId) == ["a", "b"])
        #expect(loses.discountTotal == 400)
        #expect(reasons(loses) == ["Y": "not_combinable"])
    }

    @Test func aPromotionWithNothingLeftToDiscountIsNotApplicable() {
        // Given
        let all = Promotion(id: "all", code: "ALL", name: "Everything", kind: .percentage(basisPoints: 10_000), priority: 2)
        let more = Promotion(id: "more", code: "MORE", name: "More", kind: .fixed(amount: 100, currency: eur), priority: 1)
        // When
        let result = evaluate([all, more], codes: ["ALL", "MORE"])
        // Then
        #expect(result.discountTotal == 3000)
        #expect(reasons(result) == ["MORE": "not_applicable"])
    }

    @Test func duplicateCodesCountOnce() {
        // Given
        let promotion = Promotion(id: "p", code: "TEN", name: "Ten", kind: .percentage(basisPoints: 1000))
        // When
        let result = evaluate([promotion], codes: ["TEN", "ten", " TEN "])
        // Then
        #expect(result.discounts.count == 1)
        #expect(result.rejections.isEmpty)
    }

    @Test func promotionsRoundTripThroughJSON() throws {
        // Given
        let promotion = Promotion(id: "p", code: "TEN", name: "Ten", kind: .fixed(amount: 500, currency: eur),
                                  target: .items(products: ["prod_1"], categories: ["cat_1"]), minimumSubtotal: 1000,
                                  startsAt: noon, usageLimitPerCustomer: 1, stackable: false)
        // When
        let data = try JSONCoding.encoder().encode(promotion)
        let text = String(decoding: data, as: UTF8.self)
        // Then
        #expect(try JSONCoding.decoder().decode(Promotion.self, from: data) == promotion)
        #expect(text.contains("\"usage_limit_per_customer\":1"))
        #expect(text.contains("\"kind\":{\"amount\":500,\"currency\":\"EUR\",\"type\":\"fixed\"}"))
    }
}
