import Foundation
import Logging
import PostgresKit
import SQLKit
import SQLiteKit
import Synchronization
import TorsoKit

/// Torso's database: one embedded SQLite connection, or a pool of PostgreSQL connections.
///
/// SQLite runs one transaction at a time on one connection (writers queue in order, in WAL mode
/// with `synchronous=FULL`, so an acknowledged write survives a killed process and a power cut).
/// PostgreSQL runs transactions in parallel; a transaction that loses a race on a unique key is
/// retried, and its second run reports the conflict precisely.
public final class SQLStore: @unchecked Sendable {
    /// Which database is behind the store.
    public enum Dialect: Sendable { case sqlite, postgres }

    /// The database's dialect.
    public let dialect: Dialect
    /// This process's name among the nodes sharing the database, stamped on the events it appends.
    public let node: String = "node_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    /// The PostgreSQL notification channel an event's commit is announced on.
    static let eventChannel = "torso_events"
    let logger: Logger
    private let sqlite: SQLiteConnection?
    private let sqliteLock = AsyncMutex()
    /// The writer connection's thread: its statements and the transactions that issue them run there.
    private let writerThread: SQLiteThread?
    /// The reader connection's thread.
    private let readerThread: SQLiteThread?
    /// A second connection to a SQLite file, for reads that need not wait for the writer.
    private let sqliteReader: SQLiteConnection?
    private let readerLock: AsyncMutex
    private let checkpointer: SQLiteCheckpointer?
    private let writeQueue = SQLiteWriteQueue()
    private let postgres: PostgresClient?
    private let postgresRun: Task<Void, Never>?

    private let eventSignalStream: AsyncStream<Void>
    private let eventSignal: AsyncStream<Void>.Continuation
    private let listener = Mutex<Task<Void, Never>?>(nil)
    private let closed = Mutex(false)

    private init(dialect: Dialect, sqlite: (SQLiteConnection, SQLiteThread)?, reader: (SQLiteConnection, SQLiteThread)? = nil,
                 postgres: PostgresClient?, logger: Logger) {
        (eventSignalStream, eventSignal) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.dialect = dialect
        self.sqlite = sqlite?.0
        writerThread = sqlite?.1
        readerThread = reader?.1
        let reader = reader?.0
        self.sqliteReader = reader
        let lock = AsyncMutex()
        readerLock = lock
        checkpointer = reader.map { SQLiteCheckpointer(connection: $0, lock: lock, logger: logger) }
        self.postgres = postgres
        self.logger = logger
        if let postgres {
            postgresRun = Task { await postgres.run() }
        } else {
            postgresRun = nil
        }
    }

    /// Opens the database at `url`. Migrations are not applied here: see ``Migrator``.
    public static func open(_ url: DatabaseURL, logger: Logger = Logger(label: "torso.sql")) async throws -> SQLStore {
        switch url {
        case .sqliteMemory, .sqliteFile:
            let storage: SQLiteConnection.Storage
            if case .sqliteFile(let path) = url {
                let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                storage = .file(path: path)
            } else {
                storage = .memory
            }
            let writerThread = SQLiteThread()
            let connection = try await SQLiteConnection.open(storage: storage, threadPool: writerThread.pool, logger: logger,
                                                             on: MultiThreadedEventLoopGroup.singleton.any())
            let db = connection.sql(queryLogLevel: nil)
            try await db.raw("PRAGMA journal_mode = WAL").run()
            try await db.raw("PRAGMA synchronous = FULL").run()
            try await db.raw("PRAGMA busy_timeout = 10000").run()
            try await db.raw("PRAGMA cache_size = -65536").run()
            try await db.raw("PRAGMA foreign_keys = ON").run()
            var reader: (SQLiteConnection, SQLiteThread)?
            if case .file = storage {
                // Opened after the writer set WAL mode, in which it reads beside the writer.
                let readerThread = SQLiteThread()
                let second = try await SQLiteConnection.open(storage: storage, threadPool: readerThread.pool, logger: logger,
                                                             on: MultiThreadedEventLoopGroup.singleton.any())
                let sql = second.sql(queryLogLevel: nil)
                try await sql.raw("PRAGMA query_only = ON").run()
                try await sql.raw("PRAGMA busy_timeout = 10000").run()
                try await sql.raw("PRAGMA cache_size = -16384").run()
                try await db.raw(SQLQueryString("PRAGMA wal_autocheckpoint = \(unsafeRaw: String(SQLiteCheckpointer.backstopPages))")).run()
                reader = (second, readerThread)
            }
            return SQLStore(dialect: .sqlite, sqlite: (connection, writerThread), reader: reader, postgres: nil, logger: logger)
        case .postgres(let host, let port, let username, let password, let database, let tls):
            // One direct connection first: a wrong host, password or TLS mode fails at once with
            // the server's reason, instead of the pool retrying it for a minute.
            let probe = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(),
                configuration: .init(host: host, port: port, username: username, password: password, database: database, tls: try tls.connectionTLS()),
                id: 0, logger: logger).get()
            try await probe.close()
            var configuration = PostgresClient.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: tls.clientTLS())
            configuration.options.maximumConnections = 16
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            let store = SQLStore(dialect: .postgres, sqlite: nil, postgres: client, logger: logger)
            // Let the client's run() start before the first lease (it warns otherwise).
            for _ in 0..<10 { await Task.yield() }
            do {
                try await store.withDatabase { try await $0.raw("SELECT 1").run() }
            } catch {
                await store.close()
                throw error
            }
            return store
        }
    }

    /// Closes the connections.
    public func close() async {
        // Closing twice (a server's shutdown, then its owner) must not touch a closed handle.
        guard closed.withLock({ closed in defer { closed = true }; return !closed }) else { return }
        let listening = listener.withLock { task in defer { task = nil }; return task }
        listening?.cancel()
        await listening?.value
        eventSignal.finish()
        await checkpointer?.stop()
        if let sqlite { try? await sqlite.close() }
        if let sqliteReader { try? await sqliteReader.close() }
        await writerThread?.shutdown()
        await readerThread?.shutdown()
        // The client's run() is this store's own task, from open to close: it ends here.
        postgresRun?.cancel()
        await postgresRun?.value
    }

    /// Runs one statement outside any transaction, for maintenance (`CREATE DATABASE`, `VACUUM`).
    public func execute(_ statement: String) async throws {
        try await withDatabase { try await $0.raw(SQLQueryString(statement)).run() }
    }

    /// Runs `body` with a database handle outside any transaction (migrations, maintenance).
    func withDatabase<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if let sqlite {
            return try await withTaskExecutorPreference(writerThread) {
                try await sqliteLock.withLock { try await body(sqlite.sql(queryLogLevel: nil)) }
            }
        }
        return try await postgres!.withConnection { connection in
            try await body(connection.sql(queryLogLevel: nil))
        }
    }

    /// Runs `body` between BEGIN and COMMIT, rolling back when it throws.
    func rawTransaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withDatabase { db in
            try await db.raw(self.dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Runs `body` in one transaction with the repositories it hands out: it commits when `body`
    /// returns, and nothing of it remains when `body` throws. A transaction that loses a race on
    /// a unique key is run again (twice at most).
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (SQLRepositories) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let mark = EventMark()
                let result: T
                if sqlite != nil {
                    result = try await writeQueue.run(exclusive: { batch in try await self.withDatabase(batch) }) { db in
                        try await body(SQLRepositories(tx: SQLTransaction(db: db, dialect: .sqlite, origin: self.node, appended: mark)))
                    }
                } else {
                    result = try await rawTransaction { db in
                        try await body(SQLRepositories(tx: SQLTransaction(db: db, dialect: self.dialect, origin: self.node, appended: mark)))
                    }
                }
                if mark.isSet { eventSignal.yield() }
                checkpointer?.committed()
                return result
            } catch where attempt < 3 && Self.isUniqueViolation(error) {
                logger.debug("retrying a transaction that lost a race on a unique key")
            }
        }
    }

    /// Runs read-only `body` against a consistent view.
    public func read<T: Sendable>(_ body: @Sendable (SQLRepositories) async throws -> T) async throws -> T {
        try await withDatabase { db in try await body(SQLRepositories(tx: SQLTransaction(db: db, dialect: self.dialect, origin: self.node))) }
    }

    /// Runs read-only `body` against a committed snapshot without waiting for a transaction being
    /// written: a SQLite file has a reader connection of its own for it (WAL mode lets it read
    /// beside the writer); in memory and on PostgreSQL it is ``read(_:)``. What `body` reads may
    /// be older than a write in progress: callers check again in their write transaction.
    public func readBeside<T: Sendable>(_ body: @Sendable (SQLRepositories) async throws -> T) async throws -> T {
        guard let sqliteReader else { return try await read(body) }
        return try await withTaskExecutorPreference(readerThread) { try await readBesideLocked(sqliteReader, body) }
    }

    private func readBesideLocked<T: Sendable>(_ sqliteReader: SQLiteConnection, _ body: @Sendable (SQLRepositories) async throws -> T) async throws -> T {
        try await readerLock.withLock {
            let db = sqliteReader.sql(queryLogLevel: nil)
            // One snapshot for every statement of `body`.
            try await db.raw("BEGIN").run()
            do {
                let result = try await body(SQLRepositories(tx: SQLTransaction(db: db, dialect: .sqlite, origin: self.node)))
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Yields when events may have been committed: after this process commits a transaction
    /// that appended events and, on PostgreSQL, when another node does (LISTEN/NOTIFY).
    public func eventSignals() -> AsyncStream<Void> {
        if let postgres, listener.withLock({ $0 == nil }) {
            let task = Task { [eventSignal, logger] in
                await Self.listen(postgres, signal: eventSignal, logger: logger)
            }
            listener.withLock { $0 = task }
        }
        return eventSignalStream
    }

    /// Holds one connection LISTENing for event commits of every node; reconnects after a
    /// failure and signals then, since notifications may have been missed meanwhile.
    private static func listen(_ postgres: PostgresClient, signal: AsyncStream<Void>.Continuation, logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await postgres.withConnection { connection in
                    try await connection.listen(on: eventChannel) { notifications in
                        signal.yield()
                        for try await _ in notifications { signal.yield() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("listening for events failed; retrying", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Whether an error is a unique-constraint violation of either database.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let error = error as? SQLiteError {
            return [.constraintUniqueFailed, .constraintPrimaryKeyFailed, .constraint].contains(error.reason)
        }
        if let error = error as? PSQLError {
            return error.serverInfo?[.sqlState] == "23505"
        }
        return false
    }
}
