import Events
import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport
import Workflows

/// `/admin/v1/webhooks` as a resource: the secret shown once, validation with pointers,
/// versions, idempotent creation, pages and deletion.
@Suite struct WebhookRouteTests {
    @Test func createShowsTheSecretOnceAndReadsNeverDo() async throws {
        try await withWebhookAPI(.testing(allowPrivate: false)) { api in
            // When
            let created = try await api.post("/admin/v1/webhooks", """
                {"url":"https://hooks.example.com/erp","events":["order.status_changed","order.placed","order.placed"],
                 "channels":["web","voice","web"],"description":"ERP"}
                """)
            // Then
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.id)
            #expect(id.hasPrefix("wh_"))
            #expect(created.json["secret"]?.stringValue?.hasPrefix("whsec_") == true)
            #expect(created.json["events"] == .array([.string("order.placed"), .string("order.status_changed")]))
            #expect(created.json["channels"] == .array([.string("voice"), .string("web")]))
            #expect(created.json["enabled"] == .bool(true))
            #expect(created.json["consecutive_failures"] == .number(0))
            #expect(created.version == 1)
            let read = try await api.get("/admin/v1/webhooks/\(id)")
            #expect(read.status == .ok)
            #expect(read.headers[.eTag] == "\"1\"")
            #expect(read.json["secret"] == nil)
            var withoutSecret = created.json.objectValue ?? [:]
            withoutSecret.removeValue(forKey: "secret")
            #expect(read.json == .object(withoutSecret))
            #expect(try await api.get("/admin/v1/webhooks").data == [read.json])
            // "*" stands alone
            let all = try await api.post("/admin/v1/webhooks", #"{"url":"https://hooks.example.com/all","events":["order.placed","*"]}"#)
            #expect(all.json["events"] == .array([.string("*")]))
            #expect(all.json["channels"] == .null)
        }
    }

    @Test func invalidSubscriptionsAreRefusedWithPointers() async throws {
        try await withWebhookAPI(.testing(allowPrivate: false)) { api in
            // Given / When / Then
            let cases: [(String, [FieldErrorExpectation])] = [
                (#"{"events":["*"]}"#, [.init("/url", "required")]),
                (#"{"url":"https://hooks.example.com"}"#, [.init("/events", "required")]),
                (#"{"url":"https://hooks.example.com","events":[]}"#, [.init("/events", "required")]),
                (#"{"url":"https://hooks.example.com","events":["order.placed","order.shipped"]}"#, [.init("/events/1", "unknown_event_type")]),
                (#"{"url":"https://hooks.example.com","events":["*"],"channels":["web","moon","mars"]}"#,
                 [.init("/channels/1", "unknown_channel"), .init("/channels/2", "unknown_channel")]),
                (#"{"url":"mailto:ops@example.com","events":["*"]}"#, [.init("/url", "invalid_url")]),
                (#"{"url":"https://ops:pw@hooks.example.com","events":["*"]}"#, [.init("/url", "invalid_url")]),
                (#"{"url":"http://169.254.169.254/latest","events":["*"]}"#, [.init("/url", "private_address")]),
                (#"{"url":"https://hooks.example.com","events":["*"],"secret":"whsec_mine"}"#, [.init("/secret", "unknown_field")]),
                (#"{"url":"https://hooks.example.com","events":"*"}"#, [.init("/events", "invalid_type")]),
                (#"{"url":"https://hooks.example.com","events":["*"],"description":"\#(String(repeating: "x", count: 501))"}"#,
                 [.init("/description", "too_long")]),
            ]
            for (body, expected) in cases {
                expectValidation(try await api.post("/admin/v1/webhooks", body), expected, exactly: true, body)
            }
            #expect(try await api.get("/admin/v1/webhooks").data.isEmpty)
        }
    }

    @Test func patchFollowsVersionsAndMergePatchRules() async throws {
        try await withWebhookAPI(.testing(allowPrivate: false)) { api in
            // Given
            let webhook = try await api.createWebhook(#"{"url":"https://hooks.example.com/a","events":["*"],"channels":["web"],"description":"A"}"#)
            let path = "/admin/v1/webhooks/\(webhook.id)"
            // When: a merge patch with the current version
            let patched = try await api.patch(path, #"{"description":null,"channels":null,"events":["order.placed"],"enabled":false}"#, ifMatch: "\"1\"")
            // Then
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.version == 2)
            #expect(patched.headers[.eTag] == "\"2\"")
            #expect(patched.json["description"] == .null)
            #expect(patched.json["channels"] == .null)
            #expect(patched.json["enabled"] == .bool(false))
            #expect(patched.json["disabled_reason"] == .null, "turned off by hand")
            // a stale version, in If-Match or in the body, is a conflict
            let stale = try await api.patch(path, #"{"description":"B"}"#, ifMatch: "\"1\"")
            expectProblem(stale, .conflict, "version_mismatch")
            #expect(stale.json["current_version"] == .number(2))
            expectProblem(try await api.patch(path, #"{"version":1,"description":"B"}"#), .conflict, "version_mismatch")
            expectProblem(try await api.patch(path, #"{"version":1,"description":"B"}"#, ifMatch: "\"2\""), .badRequest, "version_ambiguous")
            // the ID cannot change; read-only members may be echoed back
            expectValidation(try await api.patch(path, #"{"id":"wh_01JD0000000000000000000000"}"#), [.init("/id", "immutable_field")])
            let echoed = try await api.patch(path, #"{"version":2,"consecutive_failures":9,"created_at":"2000-01-01T00:00:00Z","description":"B"}"#)
            #expect(echoed.status == .ok, "\(echoed.text)")
            #expect(echoed.json["consecutive_failures"] == .number(0))
            #expect(echoed.json["description"] == .string("B"))
            #expect(echoed.json["created_at"] == patched.json["created_at"])
            // a delete with a stale version is refused, with the current one it goes through
            expectProblem(try await api.delete(path, ifMatch: "\"2\""), .conflict, "version_mismatch")
            #expect(try await api.delete(path, ifMatch: "\"3\"").status == .noContent)
            expectProblem(try await api.get(path), .notFound, "not_found")
            expectProblem(try await api.get(path + "/deliveries"), .notFound, "not_found")
        }
    }

    @Test func creationIsIdempotent() async throws {
        try await withWebhookAPI(.testing(allowPrivate: false)) { api in
            // Given
            let body = #"{"url":"https://hooks.example.com/once","events":["*"]}"#
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "create-hook-1"]
            // When
            let first = try await api.post("/admin/v1/webhooks", body, headers: key)
            let retry = try await api.post("/admin/v1/webhooks", body, headers: key)
            let reused = try await api.post("/admin/v1/webhooks", #"{"url":"https://hooks.example.com/other","events":["*"]}"#, headers: key)
            // Then: one webhook; the retry gets the same answer, secret included
            #expect(first.status == .created)
            #expect(retry.status == .created)
            #expect(retry.body == first.body)
            expectProblem(reused, .unprocessableContent, "idempotency_key_reused")
            #expect(try await api.get("/admin/v1/webhooks").data.count == 1)
        }
    }

    @Test func listsPageByIDAndDeliveriesNewestFirst() async throws {
        try await withWebhookAPI { api in
            // Given: five disabled webhooks, and one with seven deliveries
            var ids: [String] = []
            for index in 0..<5 {
                ids.append(try await api.createWebhook(#"{"url":"https://hooks.example.com/\#(index)","events":["*"],"enabled":false}"#).id)
            }
            let target = ids[0]
            try await api.services.store.transaction { tx in
                let now = Date()
                var deliveries: [WebhookDelivery] = []
                for index in 1...7 {
                    let seq = try await tx.outbox.appendEvent(type: "order.placed", channel: "web", subject: "ord_\(index)", data: .object([:]),
                                                       at: Timestamp.string(now))
                    // IDs a millisecond apart, so that their order is their age
                    let at = now.addingTimeInterval(Double(index) / 1_000)
                    deliveries.append(WebhookDelivery(id: .generate(at: at), webhookId: ID(rawValue: target), eventSeq: seq,
                                                      nextAttemptAt: nil, createdAt: Timestamp.string(at), updatedAt: Timestamp.string(at)))
                }
                try await tx.deliveries.insertWebhookDeliveries(deliveries)
            }
            // When: pages of two
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await api.get("/admin/v1/webhooks?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                seen += page.data.compactMap { $0["id"]?.stringValue }
                cursor = page.nextCursor
            } while cursor != nil
            var deliveries: [JSONValue] = []
            cursor = nil
            repeat {
                let page = try await api.get("/admin/v1/webhooks/\(target)/deliveries?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.status == .ok, "\(page.text)")
                deliveries += page.data
                cursor = page.nextCursor
            } while cursor != nil
            // Then
            #expect(seen == ids.sorted())
            let deliveryIds = deliveries.compactMap { $0["id"]?.stringValue }
            #expect(deliveryIds.count == 7)
            #expect(deliveryIds == deliveryIds.sorted(by: >), "newest first")
            #expect(deliveries.allSatisfy { $0["status"] == .string("pending") && $0["event_type"] == .string("order.placed") })
            #expect(try await api.deliveries(target, query: "status=succeeded").isEmpty)
            #expect(try await api.deliveries(ids[1]).isEmpty)
        }
    }
}
