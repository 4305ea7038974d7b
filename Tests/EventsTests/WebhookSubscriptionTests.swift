import Events
import Testing
import TorsoKit

/// Which events a subscription receives, and its JSON view.
@Suite struct WebhookSubscriptionTests {
    static func event(_ seq: Int, _ type: String, channel: String? = nil) -> OutboxEvent {
        OutboxEvent(seq: seq, type: type, channel: channel, subject: "x", data: .object([:]), at: "2026-01-01T00:00:00.000Z")
    }

    static func subscription(events: [String], channels: [String]? = nil, afterSeq: Int = 0) -> WebhookSubscription {
        WebhookSubscription(url: "https://hooks.example.com", events: events, channels: channels, afterSeq: afterSeq,
                            createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z")
    }

    @Test func typesFilter() {
        // Given
        let orders = Self.subscription(events: [EventType.orderPlaced, EventType.orderStatusChanged])
        let everything = Self.subscription(events: ["*"])
        // When / Then
        #expect(orders.matches(Self.event(1, EventType.orderPlaced, channel: "web")))
        #expect(!orders.matches(Self.event(2, EventType.productPublished, channel: "web")))
        #expect(everything.matches(Self.event(3, EventType.productPublished, channel: "web")))
        #expect(everything.matches(Self.event(4, EventType.webhookDisabled)))
    }

    @Test func channelsFilterButEventsWithoutAChannelAlwaysMatch() {
        // Given
        let web = Self.subscription(events: ["*"], channels: ["web"])
        let none = Self.subscription(events: ["*"], channels: [])
        // When / Then
        #expect(web.matches(Self.event(1, EventType.orderPlaced, channel: "web")))
        #expect(!web.matches(Self.event(2, EventType.orderPlaced, channel: "voice")))
        #expect(web.matches(Self.event(3, EventType.settingsChanged)))
        #expect(!none.matches(Self.event(4, EventType.orderPlaced, channel: "web")))
        #expect(none.matches(Self.event(5, EventType.customerCreated)))
    }

    @Test func onlyEventsAfterTheSubscriptionWasMade() {
        // Given
        let late = Self.subscription(events: ["*"], afterSeq: 10)
        // When / Then
        #expect(!late.matches(Self.event(10, EventType.orderPlaced)))
        #expect(late.matches(Self.event(11, EventType.orderPlaced)))
    }

    @Test func viewHasNoSecretAndRoundTrips() throws {
        // Given
        var webhook = Self.subscription(events: [EventType.orderPlaced], channels: ["web"], afterSeq: 7)
        webhook.description = "ERP"
        webhook.consecutiveFailures = 3
        webhook.pausedUntil = "2026-01-01T00:01:00.000Z"
        // When
        let json = webhook.json
        let back = try WebhookSubscription(json: json)
        // Then
        #expect(Set(json.objectValue?.keys.map { $0 } ?? []) == [
            "id", "url", "events", "channels", "description", "enabled", "disabled_reason", "consecutive_failures",
            "version", "created_at", "updated_at",
        ])
        #expect(back.id == webhook.id && back.channels == ["web"] && back.description == "ERP" && back.consecutiveFailures == 3)
        #expect(back.afterSeq == 0 && back.pausedUntil == nil, "bookkeeping is kept in columns, not in the view")
        #expect(try WebhookSubscription(json: Self.subscription(events: ["*"]).json).channels == nil)
    }

    @Test func snippetsAreCutAtACharacterBoundary() {
        // Given: 511 ASCII bytes and a 3-byte character across the 512-byte limit
        let text = String(repeating: "a", count: 511) + "€" + "tail"
        // When
        let snippet = WebhookAttempt.snippet(Array(text.utf8))
        // Then
        #expect(snippet == String(repeating: "a", count: 511))
        #expect(WebhookAttempt.snippet(Array("short".utf8)) == "short")
        #expect(WebhookAttempt.snippet(Array(String(repeating: "b", count: 600).utf8)).utf8.count == 512)
    }
}
