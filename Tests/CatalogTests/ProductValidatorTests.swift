import Testing
@testable import Catalog
import TorsoKit

/// A context with en-US and de-DE, channels web (both) and voice (en-US), one location.
func makeContext() -> CatalogContext {
    let attributes: [AttributeDefinition] = [
        AttributeDefinition(code: "name", type: .text, localizable: true, validation: .init(maxLength: 20)),
        AttributeDefinition(code: "tagline", type: .text, localizable: true, scopable: true),
        AttributeDefinition(code: "rating", type: .number, validation: .init(min: 0, max: 5, decimalsAllowed: false)),
        AttributeDefinition(code: "weight", type: .metric, units: ["GRAM", "KILOGRAM"]),
        AttributeDefinition(code: "released", type: .date),
        AttributeDefinition(code: "features", type: .multiSelect, options: [.init(code: "vegan"), .init(code: "recycled")]),
        AttributeDefinition(code: "size", type: .select, options: [.init(code: "s"), .init(code: "m")]),
        AttributeDefinition(code: "ean", type: .text, unique: true, validation: .init(pattern: "[0-9]{13}")),
    ]
    let type = ProductType(code: "shirt", attributes: ["name", "tagline", "rating", "released", "features", "ean"],
                           variantAttributes: ["weight"], variantAxes: ["size"],
                           requirements: ["web": ["name", "weight"], "voice": ["name", "tagline"]])
    return CatalogContext(
        attributes: Dictionary(uniqueKeysWithValues: attributes.map { ($0.code, $0) }),
        productTypes: ["shirt": type],
        channels: ["web": .init(locales: ["en-US", "de-DE"], currencies: ["EUR"]), "voice": .init(locales: ["en-US"], currencies: ["USD"])],
        locales: ["en-US", "de-DE"], locations: ["berlin"])
}

func validProduct() -> Product {
    Product(productType: "shirt", slug: ["en-US": "linen-shirt"],
            values: ["name": [AttributeValue(locale: "en-US", data: .string("Linen shirt"))]],
            variants: [Variant(sku: "LS-S", axes: ["size": "s"], prices: [.init(amount: 100, currency: Currency("EUR")!)],
                               stock: [.init(location: "berlin", onHand: 3)])])
}

func pointersAndCodes(_ product: Product) -> Set<String> {
    do {
        try ProductValidator(context: makeContext()).validate(product, knownCategories: [])
        return []
    } catch let error as DomainError {
        return Set(error.errors.map { "\($0.pointer) \($0.code)" })
    } catch {
        return ["unexpected \(error)"]
    }
}

@Suite struct ProductValidatorTests {
    @Test func aValidProductPasses() {
        #expect(pointersAndCodes(validProduct()).isEmpty)
    }

    @Test func valuesAreCheckedAgainstTheirTypes() {
        // Given
        var product = validProduct()
        product.values["name"] = [AttributeValue(locale: "en-US", data: .number(3)), AttributeValue(locale: "fr-FR", data: .string("x"))]
        product.values["rating"] = [AttributeValue(data: .number(4.5))]
        product.values["released"] = [AttributeValue(data: .string("2026-02-30"))]
        product.values["features"] = [AttributeValue(data: .array([.string("vegan"), .string("plastic")]))]
        product.values["ean"] = [AttributeValue(data: .string("123"))]
        product.values["colour"] = [AttributeValue(data: .string("red"))]
        product.values["weight"] = [AttributeValue(data: .object(["amount": .number(1)]))]
        // When
        let errors = pointersAndCodes(product)
        // Then
        #expect(errors == [
            "/values/name/0/data invalid_type", "/values/name/1/locale unknown_locale",
            "/values/rating/0/data decimals_not_allowed", "/values/released/0/data invalid_date",
            "/values/features/0/data/1 unknown_option", "/values/ean/0/data pattern_mismatch",
            "/values/colour unknown_attribute", "/values/weight attribute_not_in_product_type",
        ])
    }

    @Test func scopeRulesFollowTheChannel() {
        // Given: voice serves only en-US; tagline is localizable and scopable, name is not scopable
        var product = validProduct()
        product.values["tagline"] = [
            AttributeValue(locale: "de-DE", channel: "voice", data: .string("Hallo")),
            AttributeValue(locale: "en-US", data: .string("Hi")),
            AttributeValue(locale: "en-US", channel: "mirror", data: .string("Hi")),
        ]
        product.values["name"]!.append(AttributeValue(locale: "de-DE", channel: "web", data: .string("Hemd")))
        product.values["rating"] = [AttributeValue(locale: "en-US", data: .number(3))]
        // When / Then
        #expect(pointersAndCodes(product) == [
            "/values/tagline/0/locale locale_not_in_channel", "/values/tagline/1/channel channel_required",
            "/values/tagline/2/channel unknown_channel", "/values/name/1/channel channel_not_allowed",
            "/values/rating/0/locale locale_not_allowed",
        ])
    }

    @Test func variantsNeedUniqueSkusAndAxes() {
        // Given
        var product = validProduct()
        product.variants.append(Variant(sku: "LS-S", axes: ["size": "s"]))
        product.variants.append(Variant(sku: "LS M", axes: ["size": "xl", "fit": "slim"],
                                        prices: [.init(amount: -1, currency: Currency("USD")!, channel: "web")],
                                        stock: [.init(location: "paris", onHand: -2_000_000_000)]))
        product.variants.append(Variant(sku: "LS-L"))
        // When / Then
        #expect(pointersAndCodes(product) == [
            "/variants/1/sku duplicate_sku", "/variants/1/axes duplicate_axis_combination",
            "/variants/2/sku invalid_sku", "/variants/2/axes/fit unknown_axis", "/variants/2/axes/size unknown_option",
            "/variants/2/prices/0/amount out_of_range", "/variants/2/prices/0/currency currency_not_in_channel",
            "/variants/2/stock/0/location unknown_location", "/variants/2/stock/0/on_hand out_of_range",
            "/variants/3/axes/size required",
        ])
    }

    @Test func unknownProductTypeStopsEarly() {
        var product = validProduct()
        product.productType = "hat"
        #expect(pointersAndCodes(product) == ["/product_type unknown_product_type"])
    }
}

@Suite struct CompletenessTests {
    @Test func completenessPerChannelAndLocale() {
        // Given: name only in en-US, no weight on the variant, a voice tagline in en-US
        var product = validProduct()
        product.values["tagline"] = [AttributeValue(locale: "en-US", channel: "voice", data: .string("Soft linen"))]
        let context = makeContext()
        // When
        let result = Completeness.compute(for: product, type: context.productTypes["shirt"]!, context: context)
        // Then
        let table = Dictionary(uniqueKeysWithValues: result.map { ("\($0.channel)/\($0.locale)", ($0.ratio, $0.missing)) })
        #expect(table.count == 3)
        #expect(table["voice/en-US"]! == (1.0, []))
        #expect(table["web/en-US"]! == (0.5, ["weight"]))
        #expect(table["web/de-DE"]! == (0.0, ["name", "weight"]))
    }

    @Test func variantAttributesCountWhenEveryVariantHasThem() {
        var product = validProduct()
        product.values["name"]!.append(AttributeValue(locale: "de-DE", data: .string("Leinenhemd")))
        product.variants[0].values["weight"] = [AttributeValue(data: .object(["amount": .number(200), "unit": .string("GRAM")]))]
        let context = makeContext()
        let web = Completeness.compute(for: product, type: context.productTypes["shirt"]!, context: context).filter { $0.channel == "web" }
        #expect(web.allSatisfy { $0.ratio == 1 && $0.missing.isEmpty })
        product.variants.append(Variant(sku: "LS-M", axes: ["size": "m"]))
        let after = Completeness.compute(for: product, type: context.productTypes["shirt"]!, context: context).filter { $0.channel == "web" }
        #expect(after.allSatisfy { $0.missing == ["weight"] })
    }

    @Test func emptyTextDoesNotCount() {
        var product = validProduct()
        product.values["name"] = [AttributeValue(locale: "en-US", data: .string("   "))]
        let context = makeContext()
        let voice = Completeness.compute(for: product, type: context.productTypes["shirt"]!, context: context).first { $0.channel == "voice" }!
        #expect(voice.missing == ["name", "tagline"])
        #expect(voice.ratio == 0)
    }
}

@Suite struct AttributeDefinitionTests {
    @Test func definitionsAreChecked() throws {
        let bad = AttributeDefinition(code: "Bad Code", type: .text, localizable: true, unique: true,
                                      validation: .init(pattern: "[", min: 5, max: 1), options: [.init(code: "x")])
        do {
            try bad.validate()
            Issue.record("expected a validation error")
        } catch let error as DomainError {
            #expect(Set(error.errors.map(\.code)) == ["invalid_code", "not_allowed", "invalid_pattern", "invalid_range"])
        }
        let metric = AttributeDefinition(code: "weight", type: .metric)
        #expect(throws: DomainError.self) { try metric.validate() }
        var changed = AttributeDefinition(code: "name", type: .textarea)
        changed.labels = ["en-US": "Name"]
        #expect(throws: DomainError.self) { try changed.validate(previous: AttributeDefinition(code: "name", type: .text)) }
    }
}
