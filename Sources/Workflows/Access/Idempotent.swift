import Access
import Foundation
import TorsoKit

/// Runs creating writes at most once per idempotency key. The answer is stored in the same
/// transaction as the write, so a retry after a crash, a timeout or a double click gets the
/// first answer, and a key reused for a different request gets 422.
public enum Idempotent {
    /// Runs `body` in a transaction, or replays the answer stored for the context's key.
    public static func run(store: any Store, context: WriteContext,
                           _ body: @escaping @Sendable (any Transaction) async throws -> StoredResponse) async throws -> StoredResponse {
        guard let idempotency = context.idempotency else {
            return try await store.transaction(body)
        }
        let principal = context.actor.keyId
        if let replay = try await stored(store: store, principal: principal, idempotency: idempotency) { return replay }
        do {
            return try await store.transaction { tx in
                let response = try await body(tx)
                try await tx.idempotency.saveIdempotentResponse(principal: principal, key: idempotency.key, fingerprint: idempotency.fingerprint,
                                                    response: response, at: context.timestamp)
                return response
            }
        } catch {
            // A concurrent request with the same key may have won the race: replay its answer.
            if let replay = try await stored(store: store, principal: principal, idempotency: idempotency) { return replay }
            throw error
        }
    }

    private static func stored(store: any Store, principal: String, idempotency: (key: String, fingerprint: String)) async throws -> StoredResponse? {
        guard let record = try await store.read({ try await $0.idempotency.idempotentResponse(principal: principal, key: idempotency.key) }) else {
            return nil
        }
        guard record.fingerprint == idempotency.fingerprint else {
            throw DomainError(.invalid, code: "idempotency_key_reused",
                              detail: "This Idempotency-Key was used for a different request.")
        }
        return record.response
    }
}
