/// The change history of documents, field by field.
public protocol HistoryRepository: Sendable {
    /// Appends a history entry.
    func appendHistory(_ entry: HistoryEntry) async throws
    /// Appends many history entries in few statements.
    func appendHistory(_ entries: [HistoryEntry]) async throws
    /// One page of a resource's history, oldest first.
    func history(of key: String, page: PageRequest) async throws -> [HistoryEntry]
}
