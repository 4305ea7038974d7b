import Catalog
import Channels
import Commerce
import Foundation
@testable import Publishing
import Testing
import TorsoKit

/// The storefront's prices come from the price lists: sales with compare-at prices, tiers and
/// customer groups in the detail, and stored facts that are never restored with a stale price.
@Suite struct ProjectorPricingTests {
    static let english = LocaleCode("en-US")!
    static let eur = Currency("EUR")!
    static let start = Timestamp.parse("2026-06-01T12:00:00Z")!

    static func projector(_ lists: [PriceList], at instant: Date = start) -> Projector {
        let channel = Channel(code: "web", name: "Web", locales: [english], defaultLocale: english, currencies: [eur])
        let context = CatalogContext(attributes: ["name": AttributeDefinition(code: "name", type: .text, localizable: true)],
                                     productTypes: [:], channels: [:], locales: ["en-US"], locations: [])
        return Projector(channel: channel, context: context, categories: [:], priceLists: lists, pricedAt: instant)
    }

    static let product: Product = {
        var product = Product(id: ID(rawValue: "prod_" + String(repeating: "0", count: 26)), productType: "shirt", slug: ["en-US": "shirt"])
        product.values = ["name": [AttributeValue(locale: "en-US", data: .string("Shirt"))]]
        product.variants = [
            Variant(id: ID(rawValue: "var_" + String(repeating: "1", count: 26)), sku: "S-1", prices: [.init(amount: 2_000, currency: eur)]),
            Variant(id: ID(rawValue: "var_" + String(repeating: "2", count: 26)), sku: "S-2", prices: [.init(amount: 2_500, currency: eur)]),
        ]
        return product
    }()

    static let document = PublishedDocument(productId: product.id.rawValue, version: 1, at: "2026-05-01T00:00:00.000Z", text: "{}")

    static func sale(startsAt: Date? = nil, endsAt: Date? = nil, group: String? = nil, prices: [PriceListEntry]) -> PriceList {
        PriceList(id: "pl_sale" + (group ?? ""), code: "sale" + (group ?? ""), currency: eur, customerGroup: group, startsAt: startsAt,
                  endsAt: endsAt, type: .sale, prices: prices)
    }

    func detail(_ projector: Projector, group: String? = nil) throws -> JSONValue {
        let projected = projector.facts(of: Self.document, product: Self.product, visible: true, stock: [:])
        return try JSONValue.parse(bytes: projector.detail(of: projected, product: Self.product, locale: 0, customerGroup: group).data)
    }

    @Test func aSaleLowersThePriceFactAndShowsTheRegularPrice() throws {
        // Given a sale on the second variant (by SKU) below the first variant's price
        let projector = Self.projector([Self.sale(prices: [PriceListEntry(sku: "S-2", amount: 1_500)])])
        // When
        let projected = projector.facts(of: Self.document, product: Self.product, visible: true, stock: [:])
        let body = try detail(projector)
        // Then the listing and the detail show the sale price with the regular one to strike through
        #expect(projected.price == 1_500 && projected.compareAt == 2_500)
        #expect(body.objectValue?["price"]?.objectValue?["amount"] == .number(1_500))
        #expect(body.objectValue?["compare_at"]?.objectValue?["amount"] == .number(2_500))
        let variants = try #require(body.objectValue?["variants"]?.arrayValue)
        #expect(variants[0].objectValue?["compare_at"] == .null)
        #expect(variants[1].objectValue?["price"]?.objectValue?["amount"] == .number(1_500))
        #expect(variants[1].objectValue?["prices"]?.arrayValue?.first?.objectValue?["compare_at_amount"] == .number(2_500))
    }

    @Test func tiersAndGroupPricesAreShownOnlyWhereTheyApply() throws {
        // Given a tier for everyone from 10 units, and a group's own price
        let tiers = Self.sale(prices: [PriceListEntry(sku: "S-1", amount: 1_800, minQuantity: 10)])
        let trade = PriceList(id: "pl_trade", code: "trade", currency: Self.eur, customerGroup: "b2b", type: .override,
                              prices: [PriceListEntry(sku: "S-1", amount: 1_600)])
        let projector = Self.projector([tiers, trade])
        // When
        let guest = try detail(projector)
        let b2b = try detail(projector, group: "b2b")
        // Then guests see the tier but not the group's price; the group sees its own price and the tier below it does not apply
        let guestVariant = try #require(guest.objectValue?["variants"]?.arrayValue?.first?.objectValue)
        #expect(guestVariant["price"]?.objectValue?["amount"] == .number(2_000))
        #expect(guestVariant["tiers"] == .array([.object(["min_quantity": .number(10), "amount": .number(1_800)])]))
        let groupVariant = try #require(b2b.objectValue?["variants"]?.arrayValue?.first?.objectValue)
        #expect(groupVariant["price"]?.objectValue?["amount"] == .number(1_600))
        #expect(groupVariant["tiers"] == .array([]))
        #expect(b2b.objectValue?["customer_group"] == .string("b2b"))
        #expect(projector.hasPriceLists(for: "b2b") && !projector.hasPriceLists(for: "vip"))
    }

    @Test func factsPricedBeforeAListStartedAreNotRestoredAfterwards() throws {
        // Given facts projected while a sale had not started yet
        let sale = Self.sale(startsAt: Self.start.addingTimeInterval(60), prices: [PriceListEntry(sku: "S-1", amount: 1_000)])
        let before = Self.projector([sale])
        let stored = before.facts(of: Self.document, product: Self.product, visible: true, stock: [:]).storedFacts
        // When they are restored once the sale runs, and while it still has not started
        let after = Self.projector([sale], at: Self.start.addingTimeInterval(61))
        let restoredAfter = ProjectedProduct.restore(facts: stored, document: Self.document, visible: true, stock: [:], projector: after)
        let restoredBefore = ProjectedProduct.restore(facts: stored, document: Self.document, visible: true, stock: [:], projector: before)
        // Then the stale facts are refused (the product is projected again), and current ones are kept
        #expect(restoredAfter == nil)
        #expect(restoredBefore?.price == 2_000)
        #expect(after.facts(of: Self.document, product: Self.product, visible: true, stock: [:]).price == 1_000)
        // and a list that prices other products does not make these facts stale
        let elsewhere = Self.sale(startsAt: Self.start.addingTimeInterval(60), prices: [PriceListEntry(sku: "OTHER", amount: 1)])
        #expect(ProjectedProduct.restore(facts: Self.projector([]).facts(of: Self.document, product: Self.product, visible: true, stock: [:]).storedFacts,
                                         document: Self.document, visible: true, stock: [:],
                                         projector: Self.projector([elsewhere], at: Self.start.addingTimeInterval(61))) != nil)
    }

    @Test func theNextBoundaryIsTheNearestStartOrEnd() {
        // Given
        let projector = Self.projector([
            Self.sale(startsAt: Self.start.addingTimeInterval(30), endsAt: Self.start.addingTimeInterval(90), prices: []),
            PriceList(id: "pl_b", code: "b", currency: Self.eur, endsAt: Self.start.addingTimeInterval(45), type: .override),
        ])
        // When / Then
        #expect(projector.nextPriceBoundary(after: Self.start) == Self.start.addingTimeInterval(30))
        #expect(projector.nextPriceBoundary(after: Self.start.addingTimeInterval(30)) == Self.start.addingTimeInterval(45))
        #expect(projector.nextPriceBoundary(after: Self.start.addingTimeInterval(90)) == nil)
        #expect(projector.activePriceListIDs == ["pl_b"])
    }
}
