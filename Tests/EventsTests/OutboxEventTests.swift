import Events
import Testing
import TorsoKit

@Suite struct OutboxEventTests {
    @Test func payloadCarriesTheSequenceAsTheMessageID() throws {
        let event = OutboxEvent(seq: 42, type: EventType.productPublished, channel: "web", subject: "prd_1",
                                data: .object(["version": .number(3)]), at: "2026-11-27T10:00:00Z")
        let payload = try #require(event.payload.objectValue)
        #expect(payload["id"] == .string("evt_42"))
        #expect(payload["seq"] == .number(42))
        #expect(payload["type"] == .string("product.published"))
        #expect(payload["channel"] == .string("web"))
        #expect(payload["data"]?.objectValue?["version"] == .number(3))
        let global = OutboxEvent(seq: 7, type: EventType.stockChanged, subject: "prd_1", data: .object([:]), at: "2026-11-27T10:00:00Z")
        #expect(global.payload.objectValue?["channel"] == .null)
    }

    @Test func storefrontTypesAreKnownTypes() {
        #expect(EventType.storefront.isSubset(of: EventType.all))
        #expect(!EventType.storefront.contains(EventType.orderPlaced))
    }
}
