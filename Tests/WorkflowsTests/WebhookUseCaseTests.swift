import Foundation
import Testing
import TorsoKit
import Workflows

/// Webhooks as a use case: fan-out from the outbox and claiming what is due, without a sender.
@Suite struct WebhookUseCaseTests {
    @Test func eachEventIsFannedOutOnceToTheSubscriptionsThatWantIt() async throws {
        try await UseCaseHarness.run { harness in
            // Given a subscription to product.published and one to everything
            var ids: [String] = []
            for events in [#"["product.published"]"#, #"["*"]"#] {
                let created = try await harness.services.webhooks.create(try UseCaseHarness.json("""
                    {"url":"http://127.0.0.1:9/hook","events":\(events)}
                    """), context: harness.context)
                ids.append(try #require(try JSONCoding.parse(created.body).objectValue?["id"]?.stringValue))
            }
            // and a publication
            let (product, _) = try await harness.product("w", stock: 1)
            try await harness.publish(product)
            // When the outbox is fanned out twice
            let first = try await harness.services.webhooks.fanOut()
            let second = try await harness.services.webhooks.fanOut()
            // Then the publication went to both, the product's creation only to the catch-all, and nothing twice
            let page = PageRequest(limit: 100)
            let published = try await harness.services.webhooks.deliveries(of: ids[0], status: nil, page: page).data.compactMap(\.eventType)
            let everything = try await harness.services.webhooks.deliveries(of: ids[1], status: nil, page: page).data.compactMap(\.eventType)
            #expect(published == ["product.published"])
            #expect(everything.contains("product.published") && everything.contains("product.created"))
            #expect(first.deliveries == published.count + everything.count)
            #expect(second.deliveries == 0)
            // and what is due can be claimed once
            let claimed = try await harness.services.webhooks.claimDue(limit: 100)
            let again = try await harness.services.webhooks.claimDue(limit: 100)
            #expect(claimed.count == first.deliveries)
            #expect(again.isEmpty)
        }
    }
}
