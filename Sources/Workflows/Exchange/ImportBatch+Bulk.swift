import Catalog
import Exchange
import Foundation
import Inventory
import TorsoKit

extension ImportBatch {
    /// A draft worked out in memory: refused, unchanged, or ready to write.
    private enum Planned {
        case failed(any Error)
        case unchanged(key: String, stock: StockCells)
        case write(ProductBulkWriter.Prepared, body: JSONValue, stock: StockCells)
    }

    /// The batch checked in memory and written in bulk, with what the API would do product by
    /// product: the stored products, claim owners and categories are read in a few queries,
    /// every draft is applied and validated without the database, and the products are written
    /// in multi-row statements. `nil` when the products are not independent of each other — two
    /// drafts name the same product, or share a SKU, slug, variant or unique value (then the
    /// order of the file decides, and only the one-by-one path keeps it) — or when the database
    /// refuses the bulk write (a concurrent writer took a claim): the caller then goes product by
    /// product, from a clean savepoint.
    func runInBulk(_ drafts: [ProductDraft], in tx: any Transaction) async throws -> Outcome? {
        let catalog = try await products.policy.contexts.context(in: tx)
        let writer = ProductBulkWriter(service: products)
        let named = drafts.map { Self.namedClaims($0) }
        let owners = try await tx.claims.conflictingClaims(named.flatMap { $0 }, excluding: "")
        let ids = drafts.compactMap(Self.draftID) + Array(Set(owners.values))
        let stored = try await products.policy.presented(try await tx.documents.fetchMany(Product.self, keys: ids), in: tx)
        let byKey = Dictionary(stored.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })

        var planned: [Planned] = []
        var targets = Set<String>()
        var claimed: [UniqueClaim: Int] = [:]
        for (index, draft) in drafts.enumerated() {
            var touches = named[index]
            do {
                let existing = try Self.resolve(draft, owners: owners, stored: byKey)
                if let existing {
                    guard targets.insert(existing.key).inserted else { return nil }
                    touches += products.policy.claims(existing, catalog)
                }
                let body = try body(for: draft, existing: existing)
                if let prepared = try writer.prepare(body, previous: existing, catalog: catalog, context: context) {
                    touches += prepared.claims
                    planned.append(.write(prepared, body: body, stock: try stockRows(draft, existing: existing)))
                } else {
                    planned.append(.unchanged(key: existing!.key, stock: try stockRows(draft, existing: existing)))
                }
            } catch {
                planned.append(.failed(error))
            }
            for claim in Set(touches) {
                if let other = claimed[claim], other != index { return nil }
                claimed[claim] = index
            }
        }

        // What only the database knows, for every product at once: claims held by others and
        // categories that exist.
        var prepared: [ProductBulkWriter.Prepared] = []
        for case .write(let item, _, _) in planned { prepared.append(item) }
        let holders = try await tx.claims.conflictingClaims(prepared.flatMap(\.claims), excluding: "")
        let categories = try await tx.products.existingCategories(Array(Set(prepared.flatMap { $0.product.categories.map(\.rawValue) })))
        planned = planned.map { plan in
            guard case .write(let item, _, _) = plan else { return plan }
            var errors = ProductBulkWriter.categoryErrors(item.product, existing: categories)
            if errors.isEmpty {
                let conflicts = holders.filter { $0.value != item.product.key && item.claims.contains($0.key) }
                errors = products.policy.conflictErrors(item.product, conflicts: conflicts, context: catalog)
            }
            do { try errors.throwIfAny() } catch { return .failed(error) }
            return plan
        }

        var bulk: [ProductBulkWriter.Prepared] = []
        for case .write(let item, _, _) in planned where item.isBulk { bulk.append(item) }
        do {
            try await tx.savepoint { try await writer.write(bulk, context: context, in: tx) }
        } catch {
            if error is CancellationError { throw error }
            return nil
        }

        var outcome = Outcome()
        for (draft, plan) in zip(drafts, planned) {
            switch plan {
            case .failed(let error):
                try outcome.fail(draft, error)
            case .unchanged(let key, let stock):
                outcome.record(draft, .unchanged, productId: key, stock: stock)
            case .write(let item, _, let stock) where item.isBulk:
                outcome.record(draft, item.previous == nil ? .created : .updated, productId: item.product.key, stock: stock)
            case .write(let item, let body, let stock):
                // A save that removes variants takes their stock with it: the one-by-one path.
                do {
                    let (result, key) = try await tx.savepoint {
                        try await products.importWrite(body, previous: item.previous, context: context, in: tx)
                    }
                    outcome.record(draft, result, productId: key, stock: stock)
                } catch {
                    try outcome.fail(draft, error)
                }
            }
        }
        return outcome
    }

    /// The ID a draft names, if any.
    static func draftID(_ draft: ProductDraft) -> String? {
        draft.id ?? draft.document?.objectValue?["id"]?.stringValue
    }

    /// The claims a draft names a product by: its SKUs and slugs.
    static func namedClaims(_ draft: ProductDraft) -> [UniqueClaim] {
        let slugs = draft.document?.objectValue?["slug"]?.objectValue?.compactMapValues(\.stringValue) ?? draft.slugs
        return draft.skus.map { UniqueClaim(namespace: "sku", value: $0) }
            + slugs.map { UniqueClaim(namespace: "product_slug:" + $0.key, value: $0.value) }
    }

    /// The stored product a draft names, from the batch's lookups, as ``find(_:owners:in:)``
    /// finds it: by ID, else by its SKUs (all of one product), else by a slug.
    static func resolve(_ draft: ProductDraft, owners: [UniqueClaim: String], stored: [String: Product]) throws -> Product? {
        if let id = draftID(draft) { return stored[id] }
        let skuOwners = Set(draft.skus.compactMap { owners[UniqueClaim(namespace: "sku", value: $0)] })
        if skuOwners.count > 1 {
            throw ImportFailure(errors: [ExchangeError(code: "duplicate_sku", line: draft.line, column: "sku",
                                                       detail: "These SKUs belong to several products: \(skuOwners.sorted().joined(separator: ", ")).")])
        }
        if let owner = skuOwners.first { return stored[owner] }
        for claim in namedClaims(draft).filter({ $0.namespace != "sku" }).sorted(by: { $0.namespace < $1.namespace }) {
            if let owner = owners[claim] { return stored[owner] }
        }
        return nil
    }
}
