/// The answers stored for idempotency keys, per principal.
public protocol IdempotencyRepository: Sendable {
    /// The response stored for an idempotency key of a principal.
    func idempotentResponse(principal: String, key: String) async throws -> (fingerprint: String, response: StoredResponse)?
    /// Stores the response for an idempotency key; fails if one is stored already.
    func saveIdempotentResponse(principal: String, key: String, fingerprint: String, response: StoredResponse, at: String) async throws
    /// Removes the answers stored before `instant` (past the idempotency window); returns how many.
    func deleteIdempotentResponses(before instant: String) async throws -> Int
}
