import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TorsoKit
import TorsoTestSupport

/// A product the catalog refuses is answered with 422, a stable code per field and JSON pointers
/// into the request body, and nothing of it is stored.
@Suite struct ProductValidationTests {
    /// Posts `body`, expects exactly `expected`, and checks no product was added.
    func expectRefused(_ api: TestAPI, _ body: JSONValue, _ expected: [FieldErrorExpectation], exactly: Bool = true,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let before = try await api.allProductIDs()
        let response = try await api.post("/admin/v1/products", body.text)
        expectValidation(response, expected, exactly: exactly, sourceLocation: sourceLocation)
        #expect(try await api.allProductIDs() == before, "a refused product was stored", sourceLocation: sourceLocation)
    }

    @Test func wrongTypeOfValue() async throws {
        try await withAPI { api in
            // Given
            let body = try productJSON("a")
                .setting("/values/rating", to: .array([.object(["data": .string("five")])]))
                .setting("/values/name/0/data", to: .number(42))
            // When / Then
            try await expectRefused(api, body, [.init("/values/name/0/data", "invalid_type"), .init("/values/rating/0/data", "invalid_type")])
        }
    }

    @Test func wrongJSONTypeOfField() async throws {
        try await withAPI { api in
            // Given
            let body = try productJSON("a").setting("/variants/1/prices/0/amount", to: .string("19.99")).setting("/categories", to: .string("shirts"))
            // When / Then
            try await expectRefused(api, body, [.init("/variants/1/prices/0/amount", "invalid_type"), .init("/categories", "invalid_type")])
        }
    }

    @Test func unknownAttribute() async throws {
        try await withAPI { api in
            // Given
            let body = try productJSON("a").setting("/values/fabric", to: .array([.object(["data": .string("linen")])]))
            // When / Then
            try await expectRefused(api, body, [.init("/values/fabric", "unknown_attribute")])
        }
    }

    @Test func attributeOfTheWrongLevel() async throws {
        try await withAPI { api in
            // Given: weight is a variant attribute of tshirt, not a product one
            let body = try productJSON("a").setting("/values/weight", to: .array([.object(["data": .object(["amount": .number(200), "unit": .string("GRAM")])])]))
            // When / Then
            try await expectRefused(api, body, [.init("/values/weight", "attribute_not_in_product_type")])
        }
    }

    @Test func unknownField() async throws {
        try await withAPI { api in
            // Given
            let body = try productJSON("a").setting("/variants/0/colour", to: .string("red")).setting("/title", to: .string("Shirt"))
            // When / Then
            try await expectRefused(api, body, [.init("/variants/0/colour", "unknown_field"), .init("/title", "unknown_field")])
        }
    }

    @Test func localeTheChannelDoesNotServe() async throws {
        try await withAPI { api in
            // Given: tagline is localizable and scopable; the voice channel serves en-US only
            let body = try productJSON("a").setting("/values/tagline", to: .array([
                .object(["locale": .string("en-US"), "channel": .string("voice"), "data": .string("Soft and light.")]),
                .object(["locale": .string("de-DE"), "channel": .string("voice"), "data": .string("Weich und leicht.")]),
            ]))
            // When / Then
            try await expectRefused(api, body, [.init("/values/tagline/1/locale", "locale_not_in_channel")])
        }
    }

    @Test func scopeOfValuesIsChecked() async throws {
        try await withAPI { api in
            // Given: tagline needs a channel; name is not scopable; description needs a locale
            let body = try productJSON("a")
                .setting("/values/tagline", to: .array([.object(["locale": .string("en-US"), "data": .string("Soft.")])]))
                .setting("/values/name/0/channel", to: .string("web"))
                .setting("/values/description", to: .array([.object(["data": .string("Soft.")])]))
            // When / Then
            try await expectRefused(api, body, [
                .init("/values/tagline/0/channel", "channel_required"),
                .init("/values/name/0/channel", "channel_not_allowed"),
                .init("/values/description/0/locale", "locale_required"),
            ])
        }
    }

    @Test func unknownOption() async throws {
        try await withAPI { api in
            // Given
            let body = try productJSON("a").setting("/variants/2/axes/size", to: .string("xxl"))
            // When / Then
            try await expectRefused(api, body, [.init("/variants/2/axes/size", "unknown_option")])
        }
    }

    @Test func duplicateSKUWithinTheProduct() async throws {
        try await withAPI { api in
            // Given
            let body = try productJSON("a").setting("/variants/2/sku", to: .string("SKU-a-0"))
            // When / Then
            try await expectRefused(api, body, [.init("/variants/2/sku", "duplicate_sku")])
        }
    }

    @Test func duplicateSKUOfAnotherProduct() async throws {
        try await withAPI { api in
            // Given
            try await api.createProduct(Fixtures.productBody("a"))
            let body = try productJSON("b").setting("/variants/1/sku", to: .string("SKU-a-2"))
            // When / Then
            try await expectRefused(api, body, [.init("/variants/1/sku", "duplicate_sku")])
        }
    }

    @Test func duplicateSlug() async throws {
        try await withAPI { api in
            // Given
            try await api.createProduct(Fixtures.productBody("a"))
            let body = try productJSON("b").setting("/slug/en-US", to: .string("shirt-a"))
            // When / Then
            try await expectRefused(api, body, [.init("/slug/en-US", "duplicate_slug")])
        }
    }

    @Test func sameSlugInAnotherLocaleIsAllowed() async throws {
        try await withAPI { api in
            // Given: slugs are unique per locale
            try await api.createProduct(Fixtures.productBody("a"))
            let body = try productJSON("b").setting("/slug/de-DE", to: .string("shirt-a"))
            // When
            let response = try await api.post("/admin/v1/products", body.text)
            // Then
            #expect(response.status == .created, "\(response.text)")
            #expect(try await api.allProductIDs().count == 2)
        }
    }

    @Test func missingRequiredFields() async throws {
        try await withAPI { api in
            // Given
            let body = try productJSON("a").setting("/product_type", to: nil).setting("/variants/1/sku", to: nil)
            // When / Then
            try await expectRefused(api, body, [.init("/product_type", "required"), .init("/variants/1/sku", "required")])
        }
    }

    @Test func missingVariantAxis() async throws {
        try await withAPI { api in
            // Given
            let body = try productJSON("a").setting("/variants/0/axes/color", to: nil)
            // When / Then
            try await expectRefused(api, body, [.init("/variants/0/axes/color", "required")])
        }
    }

    @Test func duplicateValueOfAUniqueAttribute() async throws {
        try await withAPI { api in
            // Given: ean is unique
            let ean = JSONValue.array([.object(["data": .string("4006381333931")])])
            try await api.createProduct(try productJSON("a").setting("/values/ean", to: ean).text)
            let body = try productJSON("b").setting("/values/ean", to: ean)
            // When / Then
            try await expectRefused(api, body, [.init("/values/ean/0/data", "duplicate_value")])
        }
    }

    @Test func uniqueValueIsFreedWhenTheOwnerChangesIt() async throws {
        try await withAPI { api in
            // Given
            let ean = JSONValue.array([.object(["data": .string("4006381333931")])])
            let first = try #require(try await api.createProduct(try productJSON("a").setting("/values/ean", to: ean).text).id)
            // When
            let patched = try await api.patch("/admin/v1/products/\(first)", #"{"values":{"ean":[{"data":"4006381333948"}]}}"#)
            let second = try await api.post("/admin/v1/products", try productJSON("b").setting("/values/ean", to: ean).text)
            // Then
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(second.status == .created, "\(second.text)")
        }
    }

    @Test func patternAndRangeConstraints() async throws {
        try await withAPI { api in
            // Given: ean must be 13 digits, rating 0…5, name at most 50 characters
            let body = try productJSON("a")
                .setting("/values/ean", to: .array([.object(["data": .string("12345")])]))
                .setting("/values/rating", to: .array([.object(["data": .number(7)])]))
                .setting("/values/name/0/data", to: .string(String(repeating: "x", count: 51)))
            // When / Then
            try await expectRefused(api, body, [
                .init("/values/ean/0/data", "pattern_mismatch"), .init("/values/rating/0/data", "out_of_range"),
                .init("/values/name/0/data", "too_long"),
            ])
        }
    }

    @Test func everyProblemIsReportedAtOnce() async throws {
        try await withAPI { api in
            // Given: five independent mistakes
            let body = try productJSON("a")
                .setting("/values/fabric", to: .array([.object(["data": .string("linen")])]))
                .setting("/variants/0/colour", to: .string("red"))
                .setting("/variants/1/axes/size", to: .string("xxl"))
                .setting("/variants/2/stock/0/location", to: .string("atlantis"))
                .setting("/slug/fr-FR", to: .string("chemise"))
            // When
            let response = try await api.post("/admin/v1/products", body.text)
            // Then: the shape error comes first; the rest needs a well-shaped body
            expectValidation(response, [.init("/variants/0/colour", "unknown_field")], exactly: true)
            let fixedShape = body.setting("/variants/0/colour", to: nil)
            try await expectRefused(api, fixedShape, [
                .init("/values/fabric", "unknown_attribute"), .init("/variants/1/axes/size", "unknown_option"),
                .init("/variants/2/stock/0/location", "unknown_location"), .init("/slug/fr-FR", "unknown_locale"),
            ])
        }
    }

    @Test func unknownProductTypeAndCategory() async throws {
        try await withAPI { api in
            // Given
            let typeBody = try productJSON("a").setting("/product_type", to: .string("sofa"))
            let categoryBody = try productJSON("b").setting("/categories", to: .array([.string("cat_" + String(repeating: "0", count: 26))]))
            // When / Then
            try await expectRefused(api, typeBody, [.init("/product_type", "unknown_product_type")])
            try await expectRefused(api, categoryBody, [.init("/categories/0", "unknown_category")])
        }
    }

    @Test func validationOnPatchPointsIntoTheMergedDocument() async throws {
        try await withAPI { api in
            // Given
            let id = try #require(try await api.createProduct(Fixtures.productBody("a")).id)
            try await api.createProduct(Fixtures.productBody("b"))
            // When: the patch replaces the variants; one takes product b's SKU
            let variants = try productJSON("a").setting("/variants/1/sku", to: .string("SKU-b-0"))["variants"]!
            let response = try await api.patch("/admin/v1/products/\(id)", JSONValue.object(["variants": variants]).text)
            // Then
            expectValidation(response, [.init("/variants/1/sku", "duplicate_sku")], exactly: true)
            #expect(try await api.get("/admin/v1/products/\(id)").version == 1)
        }
    }
}
