import Catalog
import Events
import Exchange
import Foundation
import TorsoKit

extension ImportService {
    /// Rows per batch (one transaction each), and products at most.
    static let batchRows = 2_000
    static let batchProducts = 500

    /// Runs (or resumes) a job to its end.
    func run(_ id: String, actor: HistoryEntry.Actor) async {
        defer { Task { await runner.finished(id) } }
        do {
            guard var job = try await store.read({ try await $0.imports.importJob(id) }), [.queued, .running].contains(job.state) else { return }
            job.state = .running
            job.startedAt = job.startedAt ?? Timestamp.string(Date())
            try await save(job)
            var shopify: (mapping: ShopifyMapping, sales: [ShopifyMapping.SaleEntry], skus: Set<String>)?
            if job.format == .shopify {
                let (mapping, survey, report) = try await settleShopify(job, actor: actor)
                shopify = (mapping, survey.sales, survey.skus)
                job.report = report
                try await save(job)
            }
            let (schema, categories) = try await store.read { tx in
                let catalog = try await contexts.context(in: tx)
                let schema = ImportSchema(attributes: Array(catalog.attributes.values), productTypes: Array(catalog.productTypes.values),
                                          locales: Array(catalog.locales), channels: Array(catalog.channels.keys), locations: Array(catalog.locations))
                var slugs: [String: String] = [:]
                for category in try await tx.documents.fetchAll(Category.self) {
                    for locale in category.slug.locales { slugs[category.slug[locale]!] = category.id.rawValue }
                }
                return (schema, slugs)
            }
            guard let handle = FileHandle(forReadingAtPath: job.path) else {
                throw ExchangeError(code: "not_found", line: 0, detail: "The file of this import is gone from the server.")
            }
            let source = ImportSource(handle: handle, after: job.committedLine, maxRows: Self.batchRows, maxProducts: Self.batchProducts,
                                      reader: DraftReader(format: job.format, locales: schema.locales, channels: schema.channels, shopify: shopify?.mapping))
            var touched: [String] = []
            var lastEvent = Date.distantPast
            // Three batches at a time: one parsed, one worked out (in a read transaction, on
            // another core), one written.
            var pending: (batch: ImportBatch, drafts: [ProductDraft], bytesRead: Int, plan: Task<ImportBatch.Prepared?, Never>)?
            func commitPending() async throws -> Bool {
                guard let current = pending else { return true }
                pending = nil
                let outcome: ImportBatch.Outcome
                let progress = Date().timeIntervalSince(lastEvent) >= 2
                let prepared = await current.plan.value
                (job, outcome) = try await commit(current.drafts, batch: current.batch, prepared: prepared, job: job,
                                                  bytesRead: current.bytesRead, progress: progress)
                if progress { lastEvent = Date() }
                // A batch is thousands of small allocations: they are freed on another thread,
                // not on the path to the next batch's commit.
                let spent = (current, prepared)
                Task.detached(priority: .utility) { withExtendedLifetime(spent) {} }
                if !job.publish.isEmpty { touched += outcome.touched }  // kept only to publish at the end
                if !outcome.stockChanged.isEmpty { await observer?.changed(.adjusted(productIds: outcome.stockChanged.sorted())) }
                if await runner.isCanceled(id) { return false }
                if let maxErrors = job.maxErrors, job.counts.failed >= maxErrors {
                    job.failure = "Stopped after \(job.counts.failed) failed products (max_errors \(maxErrors))."
                    return false
                }
                return true
            }
            var going = true
            var reading = Task { try await source.next() }
            while going, let read = try await reading.value {
                reading = Task { try await source.next() }
                let next = ImportBatch(products: products, job: job, context: WriteContext(actor: actor), schema: schema, categories: categories)
                let plan = Task { await prepare(read.drafts, with: next) }
                going = try await commitPending()
                if going { pending = (next, read.drafts, read.bytesRead, plan) } else { plan.cancel() }
            }
            reading.cancel()
            if going { going = try await commitPending() }
            let ignored = await source.ignoredColumns
            if going, let shopify, let sales = try await self.shopify?.applySales(shopify.sales, skus: shopify.skus, mapping: shopify.mapping, store: store,
                                                                                  context: WriteContext(actor: actor)) {
                try await store.transaction { tx in
                    guard var current = try await tx.imports.importJob(id) else { return }
                    current.report = (current.report ?? []) + [sales]
                    try await tx.imports.replaceImportJob(current)
                }
            }
            try await end(id, state: job.failure == nil ? .completed : .failed, failure: job.failure, ignored: ignored,
                          touched: going ? touched : [], actor: actor)
        } catch let error as ExchangeError {
            try? await store.transaction { tx in try await tx.imports.appendImportErrors([error], job: id) }
            try? await end(id, state: .failed, failure: error.description, ignored: [], touched: [], actor: actor)
        } catch let error as DomainError {
            try? await end(id, state: .failed, failure: error.description, ignored: [], touched: [], actor: actor)
        } catch {
            try? await end(id, state: .failed, failure: "\(error)", ignored: [], touched: [], actor: actor)
        }
    }

    /// Works a batch out before its write transaction, in a read transaction; `nil` when that
    /// fails (the write transaction then works it out itself and says why).
    func prepare(_ drafts: [ProductDraft], with batch: ImportBatch) async -> ImportBatch.Prepared? {
        do {
            // The database is read twice, briefly, beside the batch being written (whose write
            // transaction checks that what was read still holds); the drafts are worked out
            // between, without it.
            let lookups = try await store.readBeside { tx in try await batch.lookups(drafts, in: tx) }
            guard let worked = try batch.work(drafts, lookups) else { return .dependent }
            return .plan(try await store.readBeside { tx in try await batch.check(worked, lookups, in: tx) })
        } catch {
            return nil
        }
    }

    /// Writes one batch with the job's new position, in one transaction.
    func commit(_ drafts: [ProductDraft], batch: ImportBatch, prepared: ImportBatch.Prepared?, job: ImportJob, bytesRead: Int,
                progress: Bool) async throws -> (ImportJob, ImportBatch.Outcome) {
        let context = batch.context
        return try await store.transaction { tx in
            guard var current = try await tx.imports.importJob(job.id.rawValue), current.state == .running else {
                throw CancellationError()
            }
            var batch = batch
            batch.budget = current.maxErrors.map { $0 - current.counts.failed }
            let outcome = try await batch.run(drafts, prepared: prepared, in: tx)
            current.counts.rows += outcome.counts.rows
            current.counts.created += outcome.counts.created
            current.counts.updated += outcome.counts.updated
            current.counts.skipped += outcome.counts.skipped
            current.counts.failed += outcome.counts.failed
            if let kept = outcome.counts.stockKept { current.counts.stockKept = (current.counts.stockKept ?? 0) + kept }
            current.errorCount += outcome.errors.count
            current.committedLine = outcome.taken > 0 ? drafts[outcome.taken - 1].line : current.committedLine
            current.bytesRead = max(current.bytesRead, min(bytesRead, current.bytes))
            current.updatedAt = context.timestamp
            try await tx.imports.appendImportErrors(outcome.errors, job: current.id.rawValue)
            try await tx.imports.replaceImportJob(current)
            if progress {
                try await tx.outbox.appendEvent(type: EventType.importProgress, channel: nil, subject: current.id.rawValue, data: .object([
                    "import_id": .string(current.id.rawValue), "rows": .number(Double(current.counts.rows)),
                    "bytes_read": .number(Double(current.bytesRead)), "bytes": .number(Double(current.bytes)),
                    "failed": .number(Double(current.counts.failed)),
                ]), at: context.timestamp)
            }
            return (current, outcome)
        }
    }

    /// Ends a job: publishes what became complete (if asked), records the end and its event.
    func end(_ id: String, state: ImportJob.State, failure: String?, ignored: [String], touched: [String], actor: HistoryEntry.Actor) async throws {
        var listed: [String: Int] = [:]
        if state == .completed, let job = try await store.read({ try await $0.imports.importJob(id) }), !job.publish.isEmpty, !touched.isEmpty {
            listed = try await publishing.publishWhereCompleteByChannel(touched, channels: Set(job.publish), context: WriteContext(actor: actor))
            if !listed.isEmpty { await observer?.changed(.settings) }
        }
        let published = listed
        let ended = try await store.transaction { tx -> ImportJob? in
            guard var job = try await tx.imports.importJob(id), [.queued, .running].contains(job.state) else { return nil }
            job.state = state
            job.failure = failure
            job.ignoredColumns = ignored
            job.published = published.values.reduce(0, +)
            job.publishedPerChannel = published.isEmpty ? nil : published
            job.bytesRead = state == .completed ? job.bytes : job.bytesRead
            job.finishedAt = Timestamp.string(Date())
            job.updatedAt = job.finishedAt!
            try await tx.imports.replaceImportJob(job)
            try await Self.completedEvent(job, in: tx)
            return job
        }
        // The server's copy of an upload goes with its job's end; a file of the CLI's stays.
        if let ended, ended.upload == true { try? FileManager.default.removeItem(atPath: ended.path) }
    }

    func save(_ job: ImportJob) async throws {
        try await store.transaction { tx in try await tx.imports.replaceImportJob(job) }
    }
}
