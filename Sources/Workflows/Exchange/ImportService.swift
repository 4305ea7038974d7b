import Catalog
import Events
import Exchange
import Foundation
import TorsoKit

/// Imports of whole catalogs: a job per file, run in the background in batches of about a
/// thousand rows, each batch one transaction that also records where the job stands, so a job
/// whose server stopped goes on after a restart from its last committed batch, with no
/// product written twice. Progress and the end are events on the admin feed.
public struct ImportService: Sendable {
    let store: any Store
    let products: ResourceService<ProductPolicy>
    let publishing: PublishingService
    let contexts: CatalogContextCache
    let observer: (any ChangeObserver)?
    let shopify: ShopifySetup?
    let runner = ImportRunner()

    /// Creates the service; `shopify` creates the settings Shopify's CSV needs (without it,
    /// that format is refused).
    public init(store: any Store, products: ResourceService<ProductPolicy>, publishing: PublishingService, contexts: CatalogContextCache,
                observer: (any ChangeObserver)?, shopify: ShopifySetup? = nil) {
        self.shopify = shopify
        self.store = store
        self.products = products
        self.publishing = publishing
        self.contexts = contexts
        self.observer = observer
    }

    /// What a caller asks for.
    public struct Request: Sendable {
        /// The file's format.
        public var format: ImportJob.Format
        /// Create, update or upsert.
        public var mode: ImportJob.Mode
        /// Channels to publish complete products to.
        public var publish: [String]
        /// Failed products after which the job stops.
        public var maxErrors: Int?
        /// What stock cells do; `set` is for callers allowed to adjust inventory.
        public var stock: ImportJob.StockMode
        /// The currency of a Shopify file's prices (its CSV does not say).
        public var currency: String?

        /// Creates a request.
        public init(format: ImportJob.Format, mode: ImportJob.Mode = .upsert, publish: [String] = [], maxErrors: Int? = nil,
                    stock: ImportJob.StockMode = .initial, currency: String? = nil) {
            self.currency = currency
            self.format = format
            self.mode = mode
            self.publish = publish
            self.maxErrors = maxErrors
            self.stock = stock
        }
    }

    /// Queues a job for a file on the server's disk and starts it.
    /// An `upload` is the server's copy of the file: it is removed when the job ends.
    public func start(_ request: Request, path: String, fileName: String, upload: Bool = false, context: WriteContext) async throws -> ImportJob {
        var errors = ValidationErrors()
        if request.format == .shopify, shopify == nil {
            errors.add("/format", "invalid_value", "This server does not import Shopify's CSV.")
        }
        if let currency = request.currency, currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            errors.add("/currency", "invalid_currency", "'\(currency)' is not an ISO 4217 currency code (three upper-case letters).")
        }
        if let maxErrors = request.maxErrors, maxErrors < 1 { errors.add("/max_errors", "out_of_range", "max_errors is 1 or more.") }
        let known = try await store.read { tx in try await contexts.context(in: tx) }.channels
        if let currency = request.currency, currency.count == 3, !known.values.contains(where: { $0.currencies.contains(currency) }) {
            errors.add("/currency", "currency_not_in_channel", "No channel sells in \(currency).")
        }
        for (index, channel) in request.publish.enumerated() where known[channel] == nil {
            errors.add("/publish/\(index)", "unknown_channel", "There is no channel '\(channel)'.")
        }
        try errors.throwIfAny()
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let job = ImportJob(format: request.format, mode: request.mode, fileName: fileName, path: path, bytes: size, upload: upload,
                            publish: request.publish, maxErrors: request.maxErrors, stock: request.stock, currency: request.currency,
                            actor: context.actor.keyId, at: context.timestamp)
        try await store.transaction { tx in try await tx.imports.insertImportJob(job) }
        await launch(job.id.rawValue, actor: context.actor)
        return job
    }

    /// A job.
    public func job(_ id: String) async throws -> ImportJob {
        guard let job = try await store.read({ try await $0.imports.importJob(id) }) else { throw DomainError.notFound("import", id) }
        return job
    }

    /// The latest jobs, newest first.
    public func jobs(limit: Int) async throws -> [ImportJob] {
        try await store.read { try await $0.imports.importJobs(limit: limit) }
    }

    /// A job's errors in file order, after the `after`-th.
    public func errors(_ id: String, after: Int, limit: Int) async throws -> [ExchangeError] {
        _ = try await job(id)
        return try await store.read { try await $0.imports.importErrors(job: id, after: after, limit: limit) }
    }

    /// Stops a job after the batch it is in; a job that ended stays as it was.
    public func cancel(_ id: String) async throws -> ImportJob {
        _ = try await job(id)
        await runner.cancel(id)
        let canceled = try await store.transaction { tx -> ImportJob? in
            guard var job = try await tx.imports.importJob(id), [.queued, .running].contains(job.state) else { return nil }
            job.state = .canceled
            job.finishedAt = Timestamp.string(Date())
            job.updatedAt = job.finishedAt!
            try await tx.imports.replaceImportJob(job)
            try await Self.completedEvent(job, in: tx)
            return job
        }
        await runner.wait(id)
        if let canceled, canceled.upload == true { try? FileManager.default.removeItem(atPath: canceled.path) }
        if let canceled { return canceled }
        return try await job(id)
    }

    /// Goes on with the jobs a stopped server left queued or running.
    public func resumeUnfinished() async throws {
        for job in try await store.read({ try await $0.imports.unfinishedImportJobs() }) {
            await launch(job.id.rawValue, actor: .init(keyId: job.actor, name: "import"))
        }
    }

    /// Waits until a job's run ends (tests, the CLI).
    public func wait(_ id: String) async { await runner.wait(id) }

    func launch(_ id: String, actor: HistoryEntry.Actor) async {
        let service = self
        await runner.launch(id) { await service.run(id, actor: actor) }
    }

    static func completedEvent(_ job: ImportJob, in tx: any Transaction) async throws {
        try await tx.outbox.appendEvent(type: EventType.importCompleted, channel: nil, subject: job.id.rawValue, data: .object([
            "import_id": .string(job.id.rawValue), "state": .string(job.state.rawValue), "rows": .number(Double(job.counts.rows)),
            "created": .number(Double(job.counts.created)), "updated": .number(Double(job.counts.updated)),
            "skipped": .number(Double(job.counts.skipped)), "failed": .number(Double(job.counts.failed)),
        ]), at: Timestamp.string(Date()))
    }
}

/// The running jobs of this process.
actor ImportRunner {
    private var tasks: [String: Task<Void, Never>] = [:]
    private var canceled: Set<String> = []

    func launch(_ id: String, _ body: @escaping @Sendable () async -> Void) {
        guard tasks[id] == nil else { return }
        tasks[id] = Task { await body() }
    }

    func cancel(_ id: String) { canceled.insert(id) }
    func isCanceled(_ id: String) -> Bool { canceled.contains(id) }
    func finished(_ id: String) { tasks[id] = nil }

    func wait(_ id: String) async {
        guard let task = tasks[id] else { return }
        await task.value
    }
}
