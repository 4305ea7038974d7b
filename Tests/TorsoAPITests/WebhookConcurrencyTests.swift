import Events
import Foundation
import Testing
import TorsoApp
import TorsoKit
import TorsoTestSupport
import Workflows

/// Several nodes on one database (PostgreSQL with TORSO_TEST_DATABASE; on SQLite, concurrent tasks of one node):
/// every event is fanned out exactly once, and no delivery is ever claimed by two senders at
/// once; a lease that runs out (a killed sender) makes a delivery claimable again.
@Suite struct WebhookConcurrencyTests {
    /// Two nodes' services on one fresh PostgreSQL database. SQLite serves one node (one
    /// connection, one writer): there both are the same services, and the senders race as tasks.
    static func withTwoNodes(_ body: (TorsoServices, TorsoServices) async throws -> Void) async throws {
        await DatabaseGate.shared.enter()
        let database = try await TestDatabase.make()
        var failure: (any Error)?
        do {
            let first = try await TorsoServices.open(database.url, passwordCost: 4, webhooks: .testing())
            let second = TestDatabase.postgresServer == nil ? first : try await TorsoServices.open(database.url, passwordCost: 4, webhooks: .testing())
            do { try await body(first, second) } catch { failure = error }
            await first.store.close()
            if TestDatabase.postgresServer != nil { await second.store.close() }
        } catch {
            failure = error
        }
        await database.cleanup()
        await DatabaseGate.shared.leave()
        if let failure { throw failure }
    }

    /// Stores enabled subscriptions to all events, without the API (no sender runs here).
    static func subscribe(_ services: TorsoServices, count: Int) async throws -> [String] {
        try await services.store.transaction { tx in
            let now = Timestamp.string(Date())
            var ids: [String] = []
            for index in 0..<count {
                let webhook = WebhookSubscription(url: "https://hooks.example.com/\(index)", events: ["*"], createdAt: now, updatedAt: now)
                try await tx.webhooks.insertWebhook(webhook, secrets: WebhookSecrets(current: WebhookSigner.generateSecret()))
                ids.append(webhook.id.rawValue)
            }
            return ids
        }
    }

    @Test func everyEventIsFannedOutOnceWhileTwoNodesAppendAndFanOut() async throws {
        try await Self.withTwoNodes { first, second in
            // Given: two subscriptions
            _ = try await Self.subscribe(first, count: 2)
            // When: both nodes append 150 events each in small transactions while both fan out
            let seqs = try await withThrowingTaskGroup(of: [Int].self) { group in
                for node in [first, second] {
                    group.addTask {
                        var appended: [Int] = []
                        for batch in 0..<30 {
                            appended += try await node.store.transaction { tx in
                                var seqs: [Int] = []
                                for index in 0..<5 {
                                    seqs.append(try await tx.outbox.appendEvent(type: EventType.orderPlaced, channel: "web", subject: "ord_\(batch)_\(index)",
                                                                         data: .object([:]), at: Timestamp.string(Date())))
                                }
                                return seqs
                            }
                        }
                        return appended
                    }
                    group.addTask {
                        for _ in 0..<40 {
                            try await node.webhooks.fanOut(limit: 7)
                            try await Task.sleep(for: .milliseconds(2))
                        }
                        return []
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            while try await first.webhooks.fanOut(limit: 50).events > 0 {}
            // Then: one delivery per event and subscription, no more, no fewer
            let rows = try await first.store.read { tx in
                let webhooks = try await tx.webhooks.listWebhooks(page: PageRequest(limit: 10))
                var rows: [(String, Int)] = []
                for webhook in webhooks {
                    rows += try await tx.deliveries.listWebhookDeliveries(webhook: webhook.id.rawValue, status: nil, page: PageRequest(limit: 10_000))
                        .map { ($0.webhookId.rawValue, $0.eventSeq) }
                }
                return rows
            }
            #expect(seqs.count == 300)
            #expect(rows.count == 600)
            #expect(Set(rows.map { "\($0.0)#\($0.1)" }).count == 600, "no event fanned out twice")
            #expect(Set(rows.map(\.1)) == Set(seqs), "every event fanned out")
        }
    }

    @Test func twoSendersNeverClaimTheSameDelivery() async throws {
        try await Self.withTwoNodes { first, second in
            // Given: 400 due deliveries over two subscriptions
            _ = try await Self.subscribe(first, count: 2)
            try await first.store.transaction { tx in
                for index in 0..<200 {
                    try await tx.outbox.appendEvent(type: EventType.customerCreated, channel: nil, subject: "cus_\(index)", data: .object([:]),
                                             at: Timestamp.string(Date()))
                }
            }
            #expect(try await first.webhooks.fanOut(limit: 1_000).deliveries == 400)
            // When: both claim concurrently, 8 at a time, until nothing is left
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for node in [first, second, first, second] {
                    group.addTask {
                        var ids: [String] = []
                        while true {
                            let batch = try await node.webhooks.claimDue(limit: 8)
                            if batch.isEmpty { return ids }
                            ids += batch.map(\.deliveryId.rawValue)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            // Then: every delivery claimed exactly once
            let counts = Dictionary(claimed.map { ($0, 1) }, uniquingKeysWith: +)
            #expect(counts.count == 400)
            #expect(counts.values.allSatisfy { $0 == 1 }, "claimed twice: \(counts.filter { $0.value > 1 }.keys.sorted().prefix(5))")
            // and nothing is claimable while the leases hold, everything once they ran out (a killed sender)
            #expect(try await second.webhooks.claimDue(limit: 1_000).isEmpty)
            let later = Date().addingTimeInterval(first.webhooks.settings.lease + 1)
            let reclaimed = try await second.webhooks.claimDue(now: later, limit: 1_000)
            #expect(reclaimed.count == 400)
            // a released lease is free at once
            try await second.webhooks.release(Array(reclaimed.prefix(10).map(\.deliveryId)))
            #expect(try await first.webhooks.claimDue(now: later, limit: 1_000).count == 10)
        }
    }

    @Test func aFailingSubscriptionIsProbedWithOneDeliveryAtATime() async throws {
        try await Self.withTwoNodes { node, _ in
            // Given: a subscription with 20 due deliveries, and a healthy one with 20
            let ids = try await Self.subscribe(node, count: 2).sorted()
            try await node.store.transaction { tx in
                for index in 0..<20 {
                    try await tx.outbox.appendEvent(type: EventType.customerCreated, channel: nil, subject: "cus_\(index)", data: .object([:]),
                                             at: Timestamp.string(Date()))
                }
            }
            try await node.webhooks.fanOut()
            let first = try await node.webhooks.claimDue(limit: 1).first!
            let failing = first.webhookId
            // When: an attempt to it fails
            let now = Date()
            try await node.webhooks.record([WebhookAttemptOutcome(deliveryId: first.deliveryId, webhookId: failing, at: Timestamp.string(now),
                                                                  statusCode: 503, latencyMs: 3)], now: now)
            // Then: while it is paused only the healthy one is sent; after the pause, one probe at a time
            let during = try await node.webhooks.claimDue(now: now, limit: 100)
            #expect(!during.isEmpty && during.allSatisfy { $0.webhookId != failing })
            let after = now.addingTimeInterval(5)
            let probe = try await node.webhooks.claimDue(now: after, limit: 100)
            #expect(probe.filter { $0.webhookId == failing }.count == 1)
            #expect(try await node.webhooks.claimDue(now: after, limit: 100).filter { $0.webhookId == failing }.isEmpty,
                    "no second probe while one is out")
            // When the probe succeeds, the rest flows again
            let sent = probe.first { $0.webhookId == failing }!
            try await node.webhooks.record([WebhookAttemptOutcome(deliveryId: sent.deliveryId, webhookId: failing, at: Timestamp.string(after),
                                                                  statusCode: 204, latencyMs: 3)], now: after)
            let flowing = try await node.webhooks.claimDue(now: after, limit: 100)
            #expect(flowing.filter { $0.webhookId == failing }.count == 19, "the one that failed and the 18 that waited")
            #expect(ids.contains(failing.rawValue))
        }
    }
}
