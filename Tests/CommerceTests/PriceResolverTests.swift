import Foundation
import Testing
@testable import Commerce
import TorsoKit

@Suite struct PriceResolverTests {
    let bases = [BasePrice(currency: eur, amount: 1000), BasePrice(currency: eur, channel: "web", amount: 900),
                 BasePrice(currency: usd, amount: 1200)]

    func resolve(_ lists: [PriceList], channel: String? = "web", currency: Currency = eur, group: String? = nil,
                 quantity: Int = 1, now: Date = noon, basePrices: [BasePrice]? = nil) -> ResolvedPrice? {
        PriceResolver(priceLists: lists).resolve(
            variantId: "var_1", sku: "SKU-1", basePrices: basePrices ?? bases,
            context: PriceContext(channel: channel, currency: currency, customerGroup: group, quantity: quantity, now: now))
    }

    func list(_ code: String, _ type: PriceListType, _ amount: Int64, channel: String? = nil, group: String? = nil,
              priority: Int = 0, startsAt: Date? = nil, endsAt: Date? = nil, currency: Currency = eur) -> PriceList {
        PriceList(id: "pl_\(code)", code: code, channel: channel, currency: currency, customerGroup: group, startsAt: startsAt,
                  endsAt: endsAt, type: type, priority: priority, prices: [PriceListEntry(variantId: "var_1", amount: amount)])
    }

    @Test func channelSpecificBasePriceBeatsTheGeneralOne() {
        // Given / When / Then
        #expect(resolve([]) == ResolvedPrice(unitAmount: 900, source: "base"))
        #expect(resolve([], channel: "pos") == ResolvedPrice(unitAmount: 1000, source: "base"))
        #expect(resolve([], channel: nil) == ResolvedPrice(unitAmount: 1000, source: "base"))
        #expect(resolve([], currency: usd) == ResolvedPrice(unitAmount: 1200, source: "base"))
    }

    @Test func noPriceInTheCurrencyIsNil() {
        // Given
        let gbp = Currency("GBP")!
        // When
        let price = resolve([list("uk-sale", .sale, 500, currency: gbp)], currency: gbp)
        // Then: a sale alone does not price a variant
        #expect(price == nil)
    }

    @Test func anOverridePricesAVariantWithoutABasePrice() {
        // Given
        let gbp = Currency("GBP")!
        // When
        let price = resolve([list("uk", .override, 800, currency: gbp)], currency: gbp)
        // Then
        #expect(price == ResolvedPrice(unitAmount: 800, source: "uk"))
    }

    @Test func anOverrideReplacesTheBasePriceEvenWhenHigher() {
        // Given
        let lists = [list("b2b", .override, 950)]
        // When
        let price = resolve(lists)
        // Then
        #expect(price == ResolvedPrice(unitAmount: 950, source: "b2b"))
    }

    @Test func theHighestPriorityOverrideWins() {
        // Given
        let lists = [list("cheap", .override, 700, priority: 0), list("important", .override, 950, priority: 5)]
        // When
        let price = resolve(lists)
        // Then
        #expect(price?.source == "important")
        #expect(price?.unitAmount == 950)
    }

    @Test func atEqualPriorityTheMostSpecificOverrideWins() {
        // Given
        let lists = [list("general", .override, 700), list("web", .override, 800, channel: "web"),
                     list("vip", .override, 850, group: "vip")]
        // When / Then
        #expect(resolve(lists, group: "vip")?.source == "vip")
        #expect(resolve(lists)?.source == "web")
        #expect(resolve(lists, channel: "pos")?.source == "general")
    }

    @Test func atEqualPriorityAndSpecificityTheLowestOverrideWins() {
        // Given
        let lists = [list("a", .override, 800), list("b", .override, 750)]
        // When / Then
        #expect(resolve(lists) == ResolvedPrice(unitAmount: 750, source: "b"))
    }

    @Test func groupListsApplyOnlyToTheirGroup() {
        // Given
        let lists = [list("vip", .sale, 500, group: "vip")]
        // When / Then
        #expect(resolve(lists, group: "retail") == ResolvedPrice(unitAmount: 900, source: "base"))
        #expect(resolve(lists, group: nil) == ResolvedPrice(unitAmount: 900, source: "base"))
        #expect(resolve(lists, group: "vip") == ResolvedPrice(unitAmount: 500, compareAtAmount: 900, source: "vip"))
    }

    @Test func channelListsApplyOnlyToTheirChannel() {
        // Given
        let lists = [list("pos-only", .sale, 500, channel: "pos")]
        // When / Then
        #expect(resolve(lists).map(\.source) == "base")
        #expect(resolve(lists, channel: "pos")?.source == "pos-only")
    }

    @Test func aLowerSaleAppliesWithTheRegularPriceAsCompareAt() {
        // Given
        let lists = [list("summer", .sale, 700), list("deeper", .sale, 650), list("meh", .sale, 880)]
        // When
        let price = resolve(lists)
        // Then
        #expect(price == ResolvedPrice(unitAmount: 650, compareAtAmount: 900, source: "deeper"))
    }

    @Test func aSaleThatIsNotLowerIsIgnored() {
        // Given
        let lists = [list("fake", .sale, 900), list("higher", .sale, 1500)]
        // When
        let price = resolve(lists)
        // Then
        #expect(price == ResolvedPrice(unitAmount: 900, source: "base"))
    }

    @Test func aSaleComparesAgainstTheOverriddenPrice() {
        // Given
        let override = list("b2b", .override, 800)
        // When / Then
        #expect(resolve([override, list("sale", .sale, 850)]) == ResolvedPrice(unitAmount: 800, source: "b2b"))
        #expect(resolve([override, list("sale", .sale, 750)]) == ResolvedPrice(unitAmount: 750, compareAtAmount: 800, source: "sale"))
    }

    @Test func theHighestReachedTierOfAListApplies() {
        // Given
        let tiers = PriceList(id: "pl_t", code: "wholesale", currency: eur, type: .override, prices: [
            PriceListEntry(variantId: "var_1", amount: 880, minQuantity: 1),
            PriceListEntry(variantId: "var_1", amount: 800, minQuantity: 10),
            PriceListEntry(variantId: "var_1", amount: 700, minQuantity: 50),
            PriceListEntry(variantId: "var_2", amount: 1, minQuantity: 1),
        ])
        // When / Then
        #expect(resolve([tiers], quantity: 9)?.unitAmount == 880)
        #expect(resolve([tiers], quantity: 10)?.unitAmount == 800)
        #expect(resolve([tiers], quantity: 49)?.unitAmount == 800)
        #expect(resolve([tiers], quantity: 60)?.unitAmount == 700)
    }

    @Test func aTierAboveTheQuantityDoesNotApply() {
        // Given
        let bulk = PriceList(id: "pl_b", code: "bulk", currency: eur, type: .sale,
                             prices: [PriceListEntry(variantId: "var_1", amount: 500, minQuantity: 5)])
        // When / Then
        #expect(resolve([bulk], quantity: 4)?.source == "base")
        #expect(resolve([bulk], quantity: 5) == ResolvedPrice(unitAmount: 500, compareAtAmount: 900, source: "bulk"))
    }

    @Test func listsApplyFromTheirStartUntilBeforeTheirEnd() {
        // Given
        let starting = list("starting", .sale, 500, startsAt: noon)
        let future = list("future", .sale, 400, startsAt: hours(1))
        let ended = list("ended", .sale, 300, endsAt: noon)
        let running = list("running", .sale, 600, startsAt: hours(-1), endsAt: hours(1))
        // When / Then
        #expect(resolve([future, ended]) == ResolvedPrice(unitAmount: 900, source: "base"))
        #expect(resolve([starting, future, ended])?.source == "starting")
        #expect(resolve([running, future, ended])?.source == "running")
        #expect(resolve([running], now: hours(1))?.source == "base")
    }

    @Test func entriesMatchBySKU() {
        // Given
        let list = PriceList(id: "pl_s", code: "by-sku", currency: eur, type: .sale,
                             prices: [PriceListEntry(sku: "SKU-1", amount: 500), PriceListEntry(sku: "OTHER", amount: 1)])
        // When / Then
        #expect(resolve([list])?.unitAmount == 500)
    }

    @Test func priceListsRoundTripThroughJSONWithSnakeCaseKeys() throws {
        // Given
        let original = list("vip", .override, 850, channel: "web", group: "vip", priority: 2, startsAt: noon, endsAt: hours(24))
        // When
        let data = try JSONCoding.encoder().encode(original)
        let text = String(decoding: data, as: UTF8.self)
        let decoded = try JSONCoding.decoder().decode(PriceList.self, from: data)
        // Then
        #expect(decoded == original)
        #expect(text.contains("\"customer_group\":\"vip\""))
        #expect(text.contains("\"starts_at\":\"2026-06-01T12:00:00.000Z\""))
        #expect(text.contains("\"min_quantity\":1"))
    }
}
