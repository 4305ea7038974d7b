import Catalog
import Events
import Foundation
import TorsoKit

/// Products checked in memory and written many at a time, for an import's batch: the same
/// documents, claims, index rows, events and history as ``ResourceService`` writes one by one,
/// in a handful of multi-row statements. What needs the database to decide — claims others
/// hold, categories that exist — is asked once for the whole batch by the caller, which
/// passes the answers in. Products whose save touches stock (counts in the body, variants
/// removed) are not for this writer: ``Prepared/isBulk`` says so, and they take the
/// one-by-one path.
struct ProductBulkWriter {
    let service: ResourceService<ProductPolicy>

    /// A product ready to be written, with what its write records.
    struct Prepared: Sendable {
        var product: Product
        var previous: Product?
        var document: Data
        /// Its history entry, written out.
        var history: EncodedHistoryEntry
        var claims: [UniqueClaim]
        /// `true` when the save changes no stock, so the bulk write is the whole of it.
        var isBulk: Bool
    }

    /// Decodes, prepares and validates a product as the API would, without the database:
    /// its categories are taken to exist and its claims to be free (the caller checks both
    /// with ``categoryErrors(_:existing:)`` and the policy's conflicts). `nil` when the body
    /// leaves the stored product as it is.
    func prepare(_ body: JSONValue, previous: Product?, catalog: CatalogContext, context: WriteContext) throws -> Prepared? {
        var product = try JSONCoding.decode(Product.self, from: previous == nil ? ResourceService<ProductPolicy>.withoutReadOnlyIdentity(body) : body,
                                            schema: Product.schema)
        product.version = (previous?.version ?? 0) + 1
        product.createdAt = previous?.createdAt ?? context.timestamp
        product.updatedAt = context.timestamp
        service.policy.prepare(&product, previous: previous)
        if let previous, try ResourceService<ProductPolicy>.onlyCountsDiffer(product, previous) { return nil }
        try ProductValidator(context: catalog).validate(product, knownCategories: Set(product.categories))
        let kept = Set(product.variants.map(\.id))
        let isBulk = product.variants.allSatisfy(\.stock.isEmpty) && (previous?.variants.allSatisfy { kept.contains($0.id) } ?? true)
        // One JSON tree serves the document and the history.
        let tree = try JSONCoding.tree(product)
        let history = HistoryEntry(resource: product.key, version: product.version, action: previous == nil ? "created" : "updated",
                                   at: context.timestamp, actor: context.actor, changes: try service.historyChanges(from: previous, toTree: tree))
        return Prepared(product: product, previous: previous, document: Data(tree.jsonBytes()), history: EncodedHistoryEntry(history),
                        claims: service.policy.claims(product, catalog), isBulk: isBulk)
    }

    /// The errors for categories of the product that do not exist.
    static func categoryErrors(_ product: Product, existing: Set<String>) -> ValidationErrors {
        var errors = ValidationErrors()
        for (index, category) in product.categories.enumerated() where !existing.contains(category.rawValue) {
            errors.add("/categories/\(index)", "unknown_category", "Category '\(category)' does not exist.")
        }
        return errors
    }

    /// Writes prepared products whose ``Prepared/isBulk`` holds, checked against the batch's
    /// claims and categories: new ones in multi-row inserts, changed ones each with its version
    /// check (409 `version_mismatch` if another writer got there first).
    func write(_ items: [Prepared], context: WriteContext, in tx: any Transaction) async throws {
        guard !items.isEmpty else { return }
        precondition(items.allSatisfy(\.isBulk), "A product whose save touches stock is written one by one.")
        try await tx.documents.insertMany(items.filter { $0.previous == nil }.map { (resource: $0.product, document: $0.document) })
        for item in items {
            guard let previous = item.previous else { continue }
            guard try await tx.documents.replace(item.product, expectedVersion: previous.version) else {
                throw DomainError.versionMismatch(expected: previous.version, current: previous.version + 1)
            }
        }
        try await tx.claims.replaceClaims(items.map { (owner: $0.product.key, claims: $0.claims, fresh: $0.previous == nil) })
        try await tx.products.indexProducts(items.map(\.product), fresh: Set(items.filter { $0.previous == nil }.map(\.product.key)))
        try await tx.outbox.appendEvents(items.map { item in
            (type: item.previous == nil ? EventType.productCreated : EventType.productUpdated, channel: nil, subject: item.product.key,
             data: .object(["product_id": .string(item.product.key), "version": .number(Double(item.product.version))]))
        }, at: context.timestamp)
        try await tx.history.appendHistory(items.map(\.history))
    }
}
