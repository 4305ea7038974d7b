import Events
import Foundation
import HTTPTypes
import Testing
@testable import TorsoApp
import TorsoKit
import TorsoTestSupport
import Workflows

/// Webhooks delivered to a real HTTP receiver on loopback, on the backend chosen by
/// TORSO_TEST_DATABASE: signed so that an independent verifier accepts them, retried with
/// backoff until the receiver recovers, disabled after too many failures, refused on private
/// addresses unless allowed, filtered by type and channel, and redelivered on request.
@Suite struct WebhookDeliveryTests {
    @Test func eventsArriveSignedWithTheStandardHeaders() async throws {
        try await WebhookReceiver.run { receiver in
            try await withWebhookAPI { api in
                // Given
                let webhook = try await api.createWebhook(#"{"url":"\#(receiver.url("shop"))","events":["product.created"]}"#)
                // When: a product is created (a product.created event commits with it)
                let product = try await api.createProduct(Fixtures.productBody("signed"))
                // Then
                try await eventually("the receiver got the event") { !receiver.requests("shop").isEmpty }
                let request = try #require(receiver.requests("shop").first)
                #expect(IndependentVerifier.verify(request, secret: webhook.secret), "signature: \(request.signatures ?? "none")")
                #expect(request.headers[.contentType] == "application/json")
                #expect(request.headers[.userAgent] == "Torso-Webhooks/1")
                let timestamp = try #require(request.timestamp.flatMap(Double.init))
                #expect(abs(timestamp - Date().timeIntervalSince1970) < 60)
                #expect(request.json["type"] == .string("product.created"))
                #expect(request.json["subject"] == product.json["id"])
                #expect(request.json["id"]?.stringValue == request.messageId)
                #expect(request.messageId == "evt_\(Int(request.json["seq"]?.numberValue ?? -1))")
                // and the log shows one succeeded delivery with one attempt
                try await eventually("the delivery is recorded") {
                    try await api.deliveries(webhook.id).first?["status"] == .string("succeeded")
                }
                let delivery = try #require(try await api.deliveries(webhook.id).first)
                #expect(delivery["event_id"]?.stringValue == request.messageId)
                #expect(delivery["event_type"] == .string("product.created"))
                #expect(delivery["attempt_count"] == .number(1))
                #expect(delivery["last_status_code"] == .number(200))
            }
        }
    }

    @Test func aReceiverThatFailsThreeTimesGetsTheEventOnceMoreAfterRecovering() async throws {
        try await WebhookReceiver.run { receiver in
            try await withWebhookAPI { api in
                // Given: a receiver that answers 500 three times, then 200
                receiver.queue([500, 500, 500], for: "flaky")
                let webhook = try await api.createWebhook(#"{"url":"\#(receiver.url("flaky"))","events":["*"]}"#)
                // When
                let seq = try #require(try await api.appendEvents([(EventType.orderPlaced, "web", "ord_flaky")]).first)
                // Then: four requests for the event, the last answered 200
                try await eventually("a successful attempt") { receiver.requests("flaky").contains { $0.answered == 200 } }
                try await eventually("the delivery is recorded") {
                    try await api.deliveries(webhook.id).first?["status"] == .string("succeeded")
                }
                try await Task.sleep(for: .milliseconds(300))
                let requests = receiver.requests("flaky")
                #expect(requests.map(\.answered) == [500, 500, 500, 200], "exactly once more after recovery")
                #expect(Set(requests.compactMap(\.messageId)) == ["evt_\(seq)"])
                #expect(requests.allSatisfy { IndependentVerifier.verify($0, secret: webhook.secret) })
                #expect(Set(requests.compactMap(\.timestamp)).count >= 1)
                // and the delivery log shows all four attempts
                let id = try #require(try await api.deliveries(webhook.id).first?["id"]?.stringValue)
                let detail = try await api.get("/admin/v1/webhooks/\(webhook.id)/deliveries/\(id)")
                #expect(detail.status == .ok, "\(detail.text)")
                #expect(detail.json["status"] == .string("succeeded"))
                #expect(detail.json["attempt_count"] == .number(4))
                let attempts = try #require(detail.json["attempts"]?.arrayValue)
                #expect(attempts.map { $0["attempt"] } == [1, 2, 3, 4].map { .number(Double($0)) })
                #expect(attempts.map { $0["status_code"] } == [500, 500, 500, 200].map { .number(Double($0)) })
                #expect(attempts.map { $0["succeeded"] } == [false, false, false, true].map(JSONValue.bool))
                #expect(attempts.allSatisfy { ($0["latency_ms"]?.numberValue ?? -1) >= 0 })
                #expect(attempts.allSatisfy { $0["error"] == .null })
                #expect(attempts[0]["response"] == .string("failing on purpose (500)"))
                #expect(attempts[3]["response"] == .string("ok"))
                #expect(detail.json["payload"]?["id"] == .string("evt_\(seq)"))
                // the attempts were spaced by the backoff (20, 40, 80 ms ±20 %)
                let times = attempts.compactMap { $0["at"]?.stringValue.flatMap(Timestamp.parse) }
                #expect(times.count == 4)
                for (earlier, later) in zip(times, times.dropFirst()) { #expect(later.timeIntervalSince(earlier) >= 0.015) }
            }
        }
    }

    @Test func webhooksAreDisabledAfterConsecutiveFailuresWithAnEvent() async throws {
        try await WebhookReceiver.run { receiver in
            try await withWebhookAPI(.testing(disableAfter: 3)) { api in
                // Given: a receiver that always fails, and a second webhook that watches for disabled webhooks
                receiver.always(500, for: "down")
                let watcher = try await api.createWebhook(#"{"url":"\#(receiver.url("watcher"))","events":["webhook.disabled"]}"#)
                let webhook = try await api.createWebhook(#"{"url":"\#(receiver.url("down"))","events":["order.placed"]}"#)
                // When
                try await api.appendEvents([(EventType.orderPlaced, "web", "ord_down")])
                // Then: after three failed attempts the webhook is disabled and says why
                try await eventually("the webhook is disabled") {
                    try await api.get("/admin/v1/webhooks/\(webhook.id)").json["enabled"] == .bool(false)
                }
                let disabled = try await api.get("/admin/v1/webhooks/\(webhook.id)")
                #expect(disabled.json["disabled_reason"] == .string("consecutive_failures"))
                #expect(disabled.json["consecutive_failures"] == .number(3))
                #expect(disabled.version == 2)
                #expect(receiver.requests("down").count == 3)
                // a webhook.disabled event was appended, and the watcher received it
                let events = try await api.services.store.read { try await $0.outbox.events(after: 0, limit: 1_000, types: [EventType.webhookDisabled]) }
                #expect(events.map(\.subject) == [webhook.id])
                try await eventually("the watcher got webhook.disabled") { !receiver.requests("watcher").isEmpty }
                let notice = try #require(receiver.requests("watcher").first)
                #expect(IndependentVerifier.verify(notice, secret: watcher.secret))
                #expect(notice.json["type"] == .string("webhook.disabled"))
                #expect(notice.json["data"]?["webhook_id"] == .string(webhook.id))
                // nothing more is sent while it is disabled
                try await Task.sleep(for: .milliseconds(300))
                #expect(receiver.requests("down").count == 3)
                // When: the receiver recovers and the webhook is enabled again
                receiver.always(200, for: "down")
                let enabled = try await api.patch("/admin/v1/webhooks/\(webhook.id)", #"{"enabled":true}"#, ifMatch: "\"2\"")
                // Then: its failure count is reset and the waiting delivery goes out
                #expect(enabled.status == .ok, "\(enabled.text)")
                #expect(enabled.json["consecutive_failures"] == .number(0))
                #expect(enabled.json["disabled_reason"] == .null)
                try await eventually("the delivery succeeds after re-enabling") {
                    try await api.deliveries(webhook.id).first?["status"] == .string("succeeded")
                }
                #expect(receiver.requests("down").map(\.answered) == [500, 500, 500, 200])
            }
        }
    }

    @Test func loopbackTargetsAreRefusedUnlessAllowed() async throws {
        try await WebhookReceiver.run { receiver in
            try await withWebhookAPI(.testing(allowPrivate: false)) { api in
                // Given / When: loopback in every spelling
                for url in [receiver.url("x"), "http://localhost:\(receiver.port)/hooks/x", "http://[::1]:\(receiver.port)/",
                            "http://2130706433:\(receiver.port)/", "http://[::ffff:127.0.0.1]/", "http://10.0.0.8/hook"] {
                    let response = try await api.post("/admin/v1/webhooks", #"{"url":"\#(url)","events":["*"]}"#)
                    // Then
                    expectValidation(response, [.init("/url", "private_address")], exactly: true, url)
                }
                // a public one is fine, but cannot be changed to a private one
                let webhook = try await api.createWebhook(#"{"url":"https://hooks.example.com/torso","events":["*"],"enabled":false}"#)
                expectValidation(try await api.patch("/admin/v1/webhooks/\(webhook.id)", #"{"url":"http://127.0.0.1/"}"#),
                                 [.init("/url", "private_address")], exactly: true)
                #expect(try await api.get("/admin/v1/webhooks").data.count == 1)
            }
            try await withWebhookAPI(.testing(allowPrivate: true)) { api in
                // When private targets are allowed, the same URLs are accepted
                for url in [receiver.url("x"), "http://localhost:\(receiver.port)/hooks/x", "http://[::1]:\(receiver.port)/"] {
                    let response = try await api.post("/admin/v1/webhooks", #"{"url":"\#(url)","events":["*"]}"#)
                    #expect(response.status == .created, "\(url): \(response.text)")
                }
            }
        }
    }

    @Test func anAttemptToAPrivateAddressFailsWhenItIsMade() async throws {
        try await WebhookReceiver.run { receiver in
            try await withWebhookAPI(.testing(allowPrivate: false)) { api in
                // Given: a loopback webhook that reached the store without the API's check (made before
                // private targets were refused, say), and the machine's own name, which resolves to a private address
                let now = Timestamp.string(Date())
                let hostName = ProcessInfo.processInfo.hostName
                let resolvesPrivately = ((try? await WebhookHostResolver.resolve(hostName, on: .singleton)) ?? []).contains { $0.kind != nil }
                var webhooks = [WebhookSubscription(url: receiver.url("literal"), events: ["*"], createdAt: now, updatedAt: now)]
                if resolvesPrivately {
                    webhooks.append(WebhookSubscription(url: "http://\(hostName):\(receiver.port)/hooks/named", events: ["*"],
                                                        createdAt: now, updatedAt: now))
                }
                let made = webhooks
                try await api.services.store.transaction { tx in
                    let last = try await tx.outbox.lastEventSeq()
                    for var webhook in made {
                        webhook.afterSeq = last
                        try await tx.webhooks.insertWebhook(webhook, secrets: WebhookSecrets(current: WebhookSigner.generateSecret()))
                    }
                }
                // When
                try await api.appendEvents([(EventType.customerCreated, nil, "cus_private")])
                // Then: each attempt fails with private_address, and the receiver hears nothing
                for webhook in webhooks {
                    try await eventually("an attempt to \(webhook.url)") {
                        try await api.deliveries(webhook.id.rawValue).first?["attempt_count"]?.numberValue ?? 0 >= 1
                    }
                    let id = try #require(try await api.deliveries(webhook.id.rawValue).first?["id"]?.stringValue)
                    let attempt = try await api.get("/admin/v1/webhooks/\(webhook.id)/deliveries/\(id)").json["attempts"]?[0]
                    #expect(attempt?["error"] == .string("private_address"), "\(String(describing: attempt))")
                    #expect(attempt?["status_code"] == .null)
                    #expect(attempt?["error_detail"]?.stringValue?.contains("loopback") == true)
                }
                #expect(receiver.requests.isEmpty)
            }
        }
    }

    @Test func typeAndChannelFiltersDecideWhoGetsWhat() async throws {
        try await WebhookReceiver.run { receiver in
            try await withWebhookAPI { api in
                // Given: orders anywhere; everything of web; orders and publications of voice
                _ = try await api.createWebhook(#"{"url":"\#(receiver.url("orders"))","events":["order.placed"]}"#)
                _ = try await api.createWebhook(#"{"url":"\#(receiver.url("web"))","events":["*"],"channels":["web"]}"#)
                _ = try await api.createWebhook(#"{"url":"\#(receiver.url("voice"))","events":["order.placed","product.published"],"channels":["voice"]}"#)
                // When
                try await api.appendEvents([
                    (EventType.orderPlaced, "web", "a"), (EventType.orderPlaced, "voice", "b"), (EventType.productPublished, "web", "c"),
                    (EventType.productPublished, "voice", "d"), (EventType.settingsChanged, nil, "e"), (EventType.customerCreated, nil, "f"),
                ])
                // Then
                let expected: [String: Set<String>] = ["orders": ["a", "b"], "web": ["a", "c", "e", "f"], "voice": ["b", "d"]]
                try await eventually("every receiver got its events") {
                    expected.allSatisfy { receiver.requests($0.key).count >= $0.value.count }
                }
                try await Task.sleep(for: .milliseconds(200))
                for (name, subjects) in expected {
                    let got = receiver.requests(name).compactMap { $0.json["subject"]?.stringValue }
                    #expect(Set(got) == subjects, "\(name)")
                    #expect(got.count == subjects.count, "\(name) got duplicates: \(got)")
                }
            }
        }
    }

    @Test func aWebhookGetsOnlyEventsCommittedAfterItWasMade() async throws {
        try await WebhookReceiver.run { receiver in
            try await withWebhookAPI { api in
                // Given: an event before the webhook exists
                try await api.appendEvents([(EventType.orderPlaced, "web", "before")])
                _ = try await api.createWebhook(#"{"url":"\#(receiver.url("late"))","events":["*"]}"#)
                // When
                try await api.appendEvents([(EventType.orderPlaced, "web", "after")])
                // Then
                try await eventually("the later event") { !receiver.requests("late").isEmpty }
                try await Task.sleep(for: .milliseconds(200))
                #expect(receiver.requests("late").compactMap { $0.json["subject"]?.stringValue } == ["after"])
            }
        }
    }

    @Test func redeliverSendsTheEventAgainAsANewDelivery() async throws {
        try await WebhookReceiver.run { receiver in
            try await withWebhookAPI { api in
                // Given: a delivered event
                let webhook = try await api.createWebhook(#"{"url":"\#(receiver.url("again"))","events":["*"]}"#)
                try await api.appendEvents([(EventType.orderPlaced, "web", "ord_again")])
                try await eventually("the first delivery") { try await api.deliveries(webhook.id).first?["status"] == .string("succeeded") }
                let first = try #require(try await api.deliveries(webhook.id).first)
                let firstId = try #require(first["id"]?.stringValue)
                // When
                let response = try await api.post("/admin/v1/webhooks/\(webhook.id)/deliveries/\(firstId)/redeliver", "{}")
                // Then: 202 with a new pending delivery of the same event
                #expect(response.status == .accepted, "\(response.text)")
                let secondId = try #require(response.id)
                #expect(secondId != firstId)
                #expect(response.json["event_id"] == first["event_id"])
                #expect(response.json["status"] == .string("pending"))
                try await eventually("the second request") { receiver.requests("again").count == 2 }
                let requests = receiver.requests("again")
                #expect(requests[0].messageId == requests[1].messageId, "the same webhook-id: receivers see a repeat")
                #expect(requests[0].body == requests[1].body)
                #expect(requests.allSatisfy { IndependentVerifier.verify($0, secret: webhook.secret) })
                try await eventually("both recorded") {
                    try await api.deliveries(webhook.id).allSatisfy { $0["status"] == .string("succeeded") }
                }
                let log = try await api.deliveries(webhook.id)
                #expect(log.compactMap { $0["id"]?.stringValue } == [secondId, firstId], "newest first")
                // and a delivery of another webhook, or none at all, is 404
                let other = try await api.createWebhook(#"{"url":"https://hooks.example.com/x","events":["*"],"enabled":false}"#)
                expectProblem(try await api.post("/admin/v1/webhooks/\(other.id)/deliveries/\(firstId)/redeliver", "{}"), .notFound, "not_found")
                expectProblem(try await api.get("/admin/v1/webhooks/\(webhook.id)/deliveries/whd_nope"), .notFound, "not_found")
            }
        }
    }

    @Test func rotatedSecretsSignBesideThePreviousOneUntilItExpires() async throws {
        try await WebhookReceiver.run { receiver in
            try await withWebhookAPI { api in
                // Given
                let webhook = try await api.createWebhook(#"{"url":"\#(receiver.url("rotate"))","events":["*"]}"#)
                // When: rotated, keeping the old secret for an hour
                let rotated = try await api.post("/admin/v1/webhooks/\(webhook.id)/rotate-secret", #"{"keep_previous_for":3600}"#)
                #expect(rotated.status == .ok, "\(rotated.text)")
                let secret = try #require(rotated.json["secret"]?.stringValue)
                #expect(secret != webhook.secret && secret.hasPrefix("whsec_"))
                #expect(rotated.json["previous_secret_expires_at"]?.stringValue != nil)
                try await api.appendEvents([(EventType.orderPlaced, "web", "one")])
                try await eventually("the first event") { receiver.requests("rotate").count == 1 }
                // Then: both secrets verify it
                let first = receiver.requests("rotate")[0]
                #expect(first.signatures?.split(separator: " ").count == 2)
                #expect(IndependentVerifier.verify(first, secret: secret))
                #expect(IndependentVerifier.verify(first, secret: webhook.secret))
                // When: rotated again without keeping the previous one
                let again = try await api.request(.post, "/admin/v1/webhooks/\(webhook.id)/rotate-secret")
                #expect(again.status == .ok, "\(again.text)")
                let newest = try #require(again.json["secret"]?.stringValue)
                let immediate = try await api.post("/admin/v1/webhooks/\(webhook.id)/rotate-secret", #"{"keep_previous_for":0}"#)
                let last = try #require(immediate.json["secret"]?.stringValue)
                #expect(immediate.json["previous_secret_expires_at"] == .null)
                try await api.appendEvents([(EventType.orderPlaced, "web", "two")])
                try await eventually("the second event") { receiver.requests("rotate").count == 2 }
                // Then: only the last secret signs
                let second = receiver.requests("rotate")[1]
                #expect(second.signatures?.split(separator: " ").count == 1)
                #expect(IndependentVerifier.verify(second, secret: last))
                #expect(!IndependentVerifier.verify(second, secret: newest))
                // and the secret never shows in reads
                #expect(try await api.get("/admin/v1/webhooks/\(webhook.id)").json["secret"] == nil)
                #expect(try await api.get("/admin/v1/webhooks").data.allSatisfy { $0["secret"] == nil })
            }
        }
    }

    @Test func slowReceiversTimeOut() async throws {
        try await WebhookReceiver.run { receiver in
            try await withWebhookAPI(.testing(timeout: 0.3)) { api in
                // Given: a receiver that answers after two seconds once
                receiver.delay(.seconds(2), for: "slow")
                let webhook = try await api.createWebhook(#"{"url":"\#(receiver.url("slow"))","events":["*"]}"#)
                // When
                try await api.appendEvents([(EventType.orderPlaced, "web", "slow")])
                // Then: the attempt is logged as a timeout after about 0.3 s
                try await eventually("a recorded attempt") {
                    try await api.deliveries(webhook.id).first?["attempt_count"]?.numberValue ?? 0 >= 1
                }
                receiver.delay(.zero, for: "slow")
                let id = try #require(try await api.deliveries(webhook.id).first?["id"]?.stringValue)
                let attempt = try await api.get("/admin/v1/webhooks/\(webhook.id)/deliveries/\(id)").json["attempts"]?[0]
                #expect(attempt?["error"] == .string("timeout"), "\(String(describing: attempt))")
                let latency = attempt?["latency_ms"]?.numberValue ?? 0
                #expect(latency >= 250 && latency < 1_500, "\(latency) ms")
                try await eventually("a later attempt succeeds") { try await api.deliveries(webhook.id).first?["status"] == .string("succeeded") }
            }
        }
    }

    @Test func aRefusedConnectionFailsFastAndIsRetried() async throws {
        // Given: a port nobody listens on (a receiver that was started and stopped)
        let port = try await WebhookReceiver.run { $0.port }
        try await withWebhookAPI(.testing(window: 0.5)) { api in
            let webhook = try await api.createWebhook(#"{"url":"http://127.0.0.1:\#(port)/hooks/gone","events":["*"]}"#)
            // When
            try await api.appendEvents([(EventType.orderPlaced, "web", "gone")])
            // Then: attempts fail with connection_failed until the window is over, then the delivery failed
            try await eventually("the delivery fails") { try await api.deliveries(webhook.id).first?["status"] == .string("failed") }
            let delivery = try #require(try await api.deliveries(webhook.id).first)
            #expect(delivery["next_attempt_at"] == .null)
            let detail = try await api.get("/admin/v1/webhooks/\(webhook.id)/deliveries/\(delivery["id"]?.stringValue ?? "")")
            let attempts = detail.json["attempts"]?.arrayValue ?? []
            #expect(attempts.count >= 2)
            #expect(attempts.allSatisfy { $0["error"] == .string("connection_failed") && $0["status_code"] == .null })
            #expect(attempts.allSatisfy { ($0["latency_ms"]?.numberValue ?? 1_000) < 1_000 })
            #expect(try await api.deliveries(webhook.id, query: "status=failed").count == 1)
            #expect(try await api.deliveries(webhook.id, query: "status=pending").isEmpty)
        }
    }
}
