import Foundation
import Logging
import Publishing

/// What the projections put off: stock changes, gathered for a few milliseconds so that a burst
/// of orders updates the snapshots once, and projected facts to store for the next start-up.
struct DeferredProjectionWork: Sendable {
    /// Whether ``ProjectionService/runDeferredWork()`` is running; when it is not, stock changes
    /// are applied by the caller at once.
    var running = false
    /// Products whose stock changed.
    var stock: Set<String> = []
    /// Facts to store.
    var facts: [(productId: String, channel: String, facts: ListingRecord.Facts)] = []
}

extension ProjectionService {
    /// How long stock changes are gathered before the snapshots are updated.
    static let stockGathering: Duration = .milliseconds(10)
    /// How many facts are stored per transaction.
    static let factBatch = 1_000

    /// Does the deferred work until the task is cancelled, then what is left of it. The service
    /// group runs this (one runner at a time); without a runner, stock changes are applied by
    /// ``changed(_:)`` itself and facts are not stored (they are made again when missing).
    public func runDeferredWork() async {
        deferred.withLock { $0.running = true }
        wake.yield()
        for await _ in wakes {
            try? await Task.sleep(for: Self.stockGathering)
            await doDeferredWork()
            if Task.isCancelled { break }
        }
        deferred.withLock { $0.running = false }
        await doDeferredWork()
    }

    /// Queues stock changes for the runner; `false` when there is none (apply them now).
    func deferStock(_ ids: [String]) -> Bool {
        let queued = deferred.withLock { work in
            guard work.running else { return false }
            work.stock.formUnion(ids)
            return true
        }
        if queued { wake.yield() }
        return queued
    }

    /// Queues facts to store; the runner stores them a batch at a time between stock updates.
    func save(_ facts: [(productId: String, channel: String, facts: ListingRecord.Facts)]) {
        guard !facts.isEmpty else { return }
        deferred.withLock { $0.facts += facts }
        wake.yield()
    }

    /// Stores facts now, in batches.
    func saveNow(_ facts: [(productId: String, channel: String, facts: ListingRecord.Facts)]) async throws {
        for start in stride(from: 0, to: facts.count, by: Self.factBatch) {
            let batch = Array(facts[start..<min(facts.count, start + Self.factBatch)])
            try await store.transaction { try await $0.listings.saveListingFacts(batch) }
        }
    }

    /// Applies the gathered stock changes and stores one batch of facts; wakes itself again
    /// while facts are left.
    private func doDeferredWork() async {
        let (stock, facts, more) = deferred.withLock { work in
            let stock = work.stock
            let count = min(Self.factBatch, work.facts.count)
            let facts = Array(work.facts.prefix(count))
            work.stock.removeAll()
            work.facts.removeFirst(count)
            return (stock, facts, !work.facts.isEmpty)
        }
        let logger = Logger(label: "torso.projections")
        if !stock.isEmpty {
            do {
                try await serial.withLock { try await self.refreshStock(stock.sorted()) }
            } catch {
                logger.error("stock update failed", metadata: ["error": "\(error)"])
            }
        }
        if !facts.isEmpty {
            do {
                try await saveNow(facts)
            } catch {
                logger.warning("could not store projected facts", metadata: ["error": "\(error)"])
            }
        }
        if more { wake.yield() }
    }
}
