/// The change history of documents, field by field.
public protocol HistoryRepository: Sendable {
    /// Appends a history entry.
    func appendHistory(_ entry: HistoryEntry) async throws
    /// Appends many history entries, already written out, in few statements.
    func appendHistory(_ entries: [EncodedHistoryEntry]) async throws
    /// One page of a resource's history, oldest first.
    func history(of key: String, page: PageRequest) async throws -> [HistoryEntry]
}
