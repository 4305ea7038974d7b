import Testing
@testable import Commerce
import TorsoKit

@Suite struct ShippingTests {
    let dach = [ShippingZone(countries: ["de", "AT", "CH"])]

    @Test func aFlatRateCostsTheSameForEveryParcel() {
        // Given
        let method = ShippingMethod(id: "m", code: "flat", zones: dach, rate: .flat(amount: 495), currency: eur)
        // When / Then
        #expect(method.quote(country: "DE", subtotal: 100, weightGrams: 20_000)?.amount == 495)
        #expect(method.quote(country: "de", subtotal: 100, weightGrams: 0)?.amount == 495)
    }

    @Test func weightTiersAreInclusiveAndTooHeavyIsUnavailable() {
        // Given
        let method = ShippingMethod(id: "m", code: "parcel", zones: dach, rate: .weight(tiers: [
            WeightTier(upToGrams: 5000, amount: 990), WeightTier(upToGrams: 1000, amount: 495),
        ]), currency: eur)
        // When / Then
        #expect(method.quote(country: "DE", subtotal: 0, weightGrams: 0)?.amount == 495)
        #expect(method.quote(country: "DE", subtotal: 0, weightGrams: 1000)?.amount == 495)
        #expect(method.quote(country: "DE", subtotal: 0, weightGrams: 1001)?.amount == 990)
        #expect(method.quote(country: "DE", subtotal: 0, weightGrams: 5000)?.amount == 990)
        #expect(method.quote(country: "DE", subtotal: 0, weightGrams: 5001) == nil)
    }

    @Test func subtotalTiersPickTheHighestReachedTier() {
        // Given
        let method = ShippingMethod(id: "m", code: "sub", zones: dach, rate: .subtotal(tiers: [
            SubtotalTier(fromSubtotal: 0, amount: 695), SubtotalTier(fromSubtotal: 5000, amount: 295),
        ]), currency: eur)
        // When / Then
        #expect(method.quote(country: "AT", subtotal: 4999, weightGrams: 0)?.amount == 695)
        #expect(method.quote(country: "AT", subtotal: 5000, weightGrams: 0)?.amount == 295)
        #expect(method.quote(country: "AT", subtotal: -1, weightGrams: 0) == nil)
    }

    @Test func shippingIsFreeFromTheThreshold() {
        // Given
        let method = ShippingMethod(id: "m", code: "free50", zones: dach, rate: .flat(amount: 495), freeAbove: 5000,
                                    taxClass: TaxClass.reduced, currency: eur)
        // When
        let below = method.quote(country: "CH", subtotal: 4999, weightGrams: 100)
        let at = method.quote(country: "CH", subtotal: 5000, weightGrams: 100)
        // Then
        #expect(below?.amount == 495)
        #expect(at?.amount == 0)
        #expect(at?.taxClass == "reduced")
    }

    @Test func aCountryOutsideTheZonesGetsNoQuoteEvenWhenFree() {
        // Given
        let method = ShippingMethod(id: "m", code: "dach", zones: dach, rate: .flat(amount: 495), freeAbove: 0, currency: eur)
        // When / Then
        #expect(method.quote(country: "FR", subtotal: 10_000, weightGrams: 0) == nil)
    }

    @Test func quotesListAvailableMethodsCheapestFirst() {
        // Given
        let methods = [
            ShippingMethod(id: "1", code: "express", zones: dach, rate: .flat(amount: 1495), currency: eur),
            ShippingMethod(id: "2", code: "standard", zones: dach, rate: .flat(amount: 495), currency: eur),
            ShippingMethod(id: "3", code: "pos-pickup", channel: "pos", zones: dach, rate: .flat(amount: 0), currency: eur),
            ShippingMethod(id: "4", code: "usd", zones: dach, rate: .flat(amount: 1), currency: usd),
            ShippingMethod(id: "5", code: "heavy", zones: dach, rate: .weight(tiers: [WeightTier(upToGrams: 10, amount: 1)]), currency: eur),
        ]
        // When
        let quotes = ShippingQuote.quotes(for: methods, channel: "web", currency: eur, country: "DE", subtotal: 1000, weightGrams: 500)
        // Then
        #expect(quotes.map(\.code) == ["standard", "express"])
    }

    @Test func methodsRoundTripThroughJSON() throws {
        // Given
        let method = ShippingMethod(id: "m", code: "parcel", name: ["en-US": "Parcel"], zones: dach,
                                    rate: .weight(tiers: [WeightTier(upToGrams: 1000, amount: 495)]), freeAbove: 5000, currency: eur)
        // When
        let data = try JSONCoding.encoder().encode(method)
        let text = String(decoding: data, as: UTF8.self)
        // Then
        #expect(try JSONCoding.decoder().decode(ShippingMethod.self, from: data) == method)
        #expect(text.contains("\"up_to_grams\":1000"))
        #expect(text.contains("\"free_above\":5000"))
        #expect(text.contains("\"countries\":[\"AT\",\"CH\",\"DE\"]"))
    }
}
