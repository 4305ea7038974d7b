import Foundation
import TorsoKit

extension ResourceService {
    /// What an import did with one resource.
    public enum ImportOutcome: Sendable {
        /// It was new.
        case created
        /// It changed.
        case updated
        /// The file left it as it was.
        case unchanged
    }

    /// Creates or replaces a resource inside the caller's transaction (an import batch), with
    /// the same checks, indexes, events and history as the API's writes. `previous` is the
    /// stored resource as presented, or `nil` for a new one; observers are not told. Answers
    /// what happened and the resource's key.
    func importWrite(_ body: JSONValue, previous: Resource?, context: WriteContext, in tx: any Transaction) async throws -> (ImportOutcome, String) {
        var resource = try JSONCoding.decode(Resource.self, from: previous == nil ? Self.withoutReadOnlyIdentity(body) : body,
                                             schema: Resource.schema)
        resource.version = (previous?.version ?? 0) + 1
        resource.createdAt = previous?.createdAt ?? context.timestamp
        resource.updatedAt = context.timestamp
        policy.prepare(&resource, previous: previous)
        if let previous, try Self.onlyCountsDiffer(resource, previous) { return (.unchanged, previous.key) }
        try await policy.validate(resource, previous: previous, in: tx)
        let changes = policy.recordsHistory ? try historyChanges(from: previous, to: resource) : []
        if let previous {
            guard try await tx.documents.replace(resource, expectedVersion: previous.version) else {
                throw DomainError.versionMismatch(expected: previous.version, current: previous.version + 1)
            }
        } else {
            try await tx.documents.insert(resource, document: Data(try JSONCoding.encode(resource)))
        }
        try await didWrite(resource, previous: previous, action: previous == nil ? "created" : "updated", changes: changes, context: context, in: tx)
        return (previous == nil ? .created : .updated, resource.key)
    }

    /// Whether a resource saved over `previous` would change nothing but the counts on hand
    /// (its version and update time aside): a product's stock is the inventory's.
    static func onlyCountsDiffer(_ resource: Resource, _ previous: Resource) throws -> Bool {
        var same = resource
        same.version = previous.version
        same.updatedAt = previous.updatedAt
        return withoutCounts(try JSONCoding.tree(same)) == withoutCounts(try JSONCoding.tree(previous))
    }

    /// A product's JSON without the stock counts its reads add (an import leaves counts to
    /// inventory adjustments, so they are no change of the product).
    static func withoutCounts(_ value: JSONValue) -> JSONValue {
        guard case .object(var members) = value, case .array(let variants)? = members["variants"] else { return value }
        members["variants"] = .array(variants.map { variant in
            guard case .object(var object) = variant else { return variant }
            object["stock"] = nil
            return .object(object)
        })
        return .object(members)
    }

    /// The stored resource as the API presents it, in the caller's transaction.
    func importPrevious(_ key: String, in tx: any Transaction) async throws -> Resource? {
        guard let stored = try await tx.documents.fetch(Resource.self, key: key) else { return nil }
        return try await policy.presented([stored], in: tx).first
    }
}
