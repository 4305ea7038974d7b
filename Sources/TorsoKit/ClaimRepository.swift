/// Unique values across documents (SKUs, slugs, unique attribute values), each held by one owner.
public protocol ClaimRepository: Sendable {
    /// The owners of those claims that are held by someone other than `owner`.
    func conflictingClaims(_ claims: [UniqueClaim], excluding owner: String) async throws -> [UniqueClaim: String]
    /// Replaces every claim `owner` holds with `claims`; `fresh` when the owner is new and holds none.
    func replaceClaims(_ claims: [UniqueClaim], owner: String, fresh: Bool) async throws
    /// Replaces the claims of many owners at once (an import's batch): each entry as
    /// ``replaceClaims(_:owner:fresh:)`` would.
    func replaceClaims(_ entries: [(owner: String, claims: [UniqueClaim], fresh: Bool)]) async throws
    /// The owner of one claim.
    func claimOwner(_ claim: UniqueClaim) async throws -> String?
}
