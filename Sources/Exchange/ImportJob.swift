import TorsoKit

/// Marks import job identifiers (`imp_…`).
public enum ImportJobEntity: IdentifiedEntity { public static let idPrefix = "imp" }

/// An import of one file: where it stands, what it counted, and where to go on after a restart.
public struct ImportJob: Codable, Sendable, Equatable {
    /// Where a job is in its life.
    public enum State: String, Codable, Sendable {
        /// Waiting to run (or to resume after a restart).
        case queued
        /// Running.
        case running
        /// Read to the end; `failed` counts the products that were not imported.
        case completed
        /// Stopped by a problem with the file as a whole, or by `max_errors`.
        case failed
        /// Stopped on request.
        case canceled
    }

    /// The file's format.
    public enum Format: String, Codable, Sendable, CaseIterable {
        /// One product per line, the admin API's product JSON.
        case ndjson
        /// Torso's product CSV: one row per variant.
        case csv
        /// Shopify's product CSV export.
        case shopify
    }

    /// What happens to products that exist and to those that do not.
    public enum Mode: String, Codable, Sendable, CaseIterable {
        /// New products only; one that exists is an error.
        case create
        /// Existing products only; one that does not exist is an error.
        case update
        /// Either.
        case upsert
    }

    /// What the file's stock cells do.
    public enum StockMode: String, Codable, Sendable, CaseIterable {
        /// First counts only: a variant with no stock at a location yet takes the file's count
        /// there; a count on hand stays as it is (the product API's rule), so a file exported
        /// before sales and imported after them never brings sold units back.
        case initial
        /// Every count that differs from the one on hand is set, as an inventory adjustment with
        /// the file as its reason (a stock take); needs the `inventory:write` scope.
        case set
    }

    /// Counts so far.
    public struct Counts: Codable, Sendable, Equatable {
        /// Rows (variants) read and done with, imported or not.
        public var rows = 0
        /// Products created.
        public var created = 0
        /// Products changed.
        public var updated = 0
        /// Products the file left as they were.
        public var skipped = 0
        /// Products not imported because of an error.
        public var failed = 0
        /// Stock cells that differ from the count on hand and were left as they are (stock
        /// `initial`); `nil` in jobs from before it was counted.
        public var stockKept: Int?

        enum CodingKeys: String, CodingKey {
            case rows, created, updated, skipped, failed
            case stockKept = "stock_kept"
        }

        /// No counts yet.
        public init() {}
    }

    /// The job's ID.
    public var id: ID<ImportJobEntity>
    /// Where it stands.
    public var state: State
    /// The file's format.
    public var format: Format
    /// Create, update or upsert.
    public var mode: Mode
    /// What stock cells do (`nil`, in jobs from before there was a choice: `initial`).
    public var stock: StockMode?
    /// The currency of a Shopify file's prices, as asked for (else the first channel's).
    public var currency: String?
    /// What a Shopify import found or created (attributes, product types, the sale list).
    public var report: [String]?
    /// The file's name, as given (for reports and the adjustments' reason).
    public var fileName: String
    /// Where the file is on the server.
    public var path: String
    /// Its size in bytes.
    public var bytes: Int
    /// Whether the file is the server's copy of an upload (removed when the job ends), not a
    /// file of the caller's (the CLI's).
    public var upload: Bool?
    /// Bytes read so far.
    public var bytesRead: Int
    /// Counts so far.
    public var counts: Counts
    /// Channels to publish imported products to when they are complete there.
    public var publish: [String]
    /// Failed products after which the job stops.
    public var maxErrors: Int?
    /// The first line of the last product committed: a resumed job goes on after it.
    public var committedLine: Int
    /// Errors recorded so far.
    public var errorCount: Int
    /// What stopped a failed job.
    public var failure: String?
    /// Columns the file has that Torso does not read.
    public var ignoredColumns: [String]
    /// Listings that went live at the end (with `publish`).
    public var published: Int
    /// Per channel asked for: the imported products complete there, which went live.
    public var publishedPerChannel: [String: Int]?
    /// Who started it.
    public var actor: String
    /// When it was created.
    public var createdAt: String
    /// When it first started running.
    public var startedAt: String?
    /// When it ended.
    public var finishedAt: String?
    /// When it last changed.
    public var updatedAt: String

    /// A queued job.
    public init(format: Format, mode: Mode, fileName: String, path: String, bytes: Int, upload: Bool = false, publish: [String], maxErrors: Int?,
                stock: StockMode = .initial, currency: String? = nil, actor: String, at time: String) {
        id = .generate()
        self.stock = stock
        self.currency = currency
        state = .queued
        self.format = format
        self.mode = mode
        self.fileName = fileName
        self.path = path
        self.bytes = bytes
        self.upload = upload
        bytesRead = 0
        counts = Counts()
        self.publish = publish
        self.maxErrors = maxErrors
        committedLine = 0
        errorCount = 0
        ignoredColumns = []
        published = 0
        self.actor = actor
        createdAt = time
        updatedAt = time
    }

    enum CodingKeys: String, CodingKey {
        case id, state, format, mode, stock, currency, report, path, bytes, counts, publish, failure, actor, published, upload
        case fileName = "file_name"
        case publishedPerChannel = "published_per_channel"
        case bytesRead = "bytes_read"
        case maxErrors = "max_errors"
        case committedLine = "committed_line"
        case errorCount = "error_count"
        case ignoredColumns = "ignored_columns"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case updatedAt = "updated_at"
    }
}

/// Import jobs and their error reports.
public protocol ImportJobRepository: Sendable {
    /// Stores a new job.
    func insertImportJob(_ job: ImportJob) async throws
    /// A job.
    func importJob(_ id: String) async throws -> ImportJob?
    /// Replaces a job.
    func replaceImportJob(_ job: ImportJob) async throws
    /// Jobs, newest first.
    func importJobs(limit: Int) async throws -> [ImportJob]
    /// Jobs that were queued or running (to resume after a restart).
    func unfinishedImportJobs() async throws -> [ImportJob]
    /// Appends errors to a job's report.
    func appendImportErrors(_ errors: [ExchangeError], job: String) async throws
    /// A page of a job's errors, in file order, after the `after`-th.
    func importErrors(job: String, after: Int, limit: Int) async throws -> [ExchangeError]
}
