import TorsoStorage
import Workflows

/// Workflows' ``Store`` over TorsoStorage's ``SQLStore``: the one place where the storage
/// adapter meets the use cases' port, so that TorsoStorage never imports Workflows.
public struct SQLWorkflowStore: Store {
    /// The database.
    public let sql: SQLStore

    /// Wraps a database.
    public init(_ sql: SQLStore) {
        self.sql = sql
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any Transaction) async throws -> T) async throws -> T {
        try await sql.transaction { try await body($0) }
    }

    public func read<T: Sendable>(_ body: @Sendable (any Transaction) async throws -> T) async throws -> T {
        try await sql.readBeside { try await body($0) }
    }

    public func readBeside<T: Sendable>(_ body: @Sendable (any Transaction) async throws -> T) async throws -> T {
        try await sql.readBeside { try await body($0) }
    }

    public func eventSignals() -> AsyncStream<Void> {
        sql.eventSignals()
    }

    /// Closes the database.
    public func close() async {
        await sql.close()
    }
}

/// The SQL repositories are the transaction workflows use (they have the same members).
extension SQLRepositories: Transaction {}
