import Foundation
import Testing
import TorsoKit
import Workflows

/// Publishing as a use case: what a publish or an unpublish does to the channel's snapshot.
@Suite struct PublishingUseCaseTests {
    @Test func publishingServesTheProductAndUnpublishingWithdrawsIt() async throws {
        try await UseCaseHarness.run { harness in
            // Given a complete product that is not published
            let (product, _) = try await harness.product("p", stock: 1)
            let locale = try #require(LocaleCode("en-US"))
            let snapshot = { try #require(harness.services.projections.catalog.snapshot(for: "web")) }
            #expect(try snapshot().product("shirt-p", locale: locale) == nil)
            // When it is published to web
            try await harness.publish(product)
            // Then web's snapshot serves it by slug
            #expect(try snapshot().product("shirt-p", locale: locale)?.id == product)
            // When it is unpublished
            _ = try await harness.services.publishing.unpublish(product, body: .object(["channels": .array([.string("web")])]),
                                                                context: harness.context)
            // Then it is gone from web
            #expect(try snapshot().product("shirt-p", locale: locale) == nil)
        }
    }

    @Test func anIncompleteProductIsRefusedWithWhatIsMissing() async throws {
        try await UseCaseHarness.run { harness in
            // Given a product without the description web requires
            let created = try await harness.services.products.create(try UseCaseHarness.json("""
                {"product_type":"tshirt","slug":{"en-US":"bare"},"values":{"name":[{"locale":"en-US","data":"Bare"}]},
                 "variants":[{"sku":"BARE-1","axes":{"size":"s","color":"red"},"prices":[{"amount":100,"currency":"EUR"}]}]}
                """), context: harness.context)
            let id = try #require(try JSONCoding.parse(created.body).objectValue?["id"]?.stringValue)
            // When it is published, then it is refused with incomplete and a pointer to the gap
            await #expect { try await harness.publish(id) } throws: { error in
                guard let error = error as? DomainError else { return false }
                return error.code == "incomplete" && error.errors.contains { $0.pointer == "/channels/0" && $0.detail.contains("description") }
            }
        }
    }
}
