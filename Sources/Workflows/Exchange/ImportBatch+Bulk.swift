import Catalog
import Exchange
import Foundation
import Inventory
import TorsoKit

extension ImportBatch {
    /// The batch planned and written in this transaction (``plan(_:in:)``, then
    /// ``write(_:drafts:in:)``); `nil` when its products depend on each other or the database
    /// refuses the bulk write: the caller then goes product by product.
    func runInBulk(_ drafts: [ProductDraft], in tx: any Transaction) async throws -> Outcome? {
        guard let plan = try await plan(drafts, in: tx) else { return nil }
        return try await write(plan, drafts: drafts, in: tx)
    }

    /// Writes a plan, its products in multi-row statements (those whose save removes variants
    /// one by one, after them). `nil` when the database refuses the bulk write (a concurrent
    /// writer took a claim): the caller then goes product by product, from a clean savepoint.
    func write(_ plan: Plan, drafts: [ProductDraft], in tx: any Transaction) async throws -> Outcome? {
        let writer = ProductBulkWriter(service: products)
        var planned = plan.planned
        if let budget {
            // The drafts after the one that uses the last failure `max_errors` allows are not written.
            var failed = 0
            if let last = planned.firstIndex(where: { item in
                if case .failed = item { failed += 1 }
                return failed >= budget
            }) { planned = Array(planned.prefix(last + 1)) }
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
            case .failed(let errors):
                outcome.fail(draft, errors: errors)
            case .unchanged(let key, let stock):
                outcome.record(draft, .unchanged, productId: key, stock: stock)
            case .write(let item, _, let stock) where item.isBulk:
                outcome.record(draft, item.previous == nil ? .created : .updated, productId: item.product.key, stock: stock)
                if item.previous == nil {
                    outcome.fresh += item.product.variants.map { variant in
                        StockedVariant(id: variant.id.rawValue, sku: variant.sku, productId: item.product.key,
                                       allowBackorder: variant.allowsBackorder)
                    }
                }
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
    func resolve(_ draft: ProductDraft, owners: [UniqueClaim: String], stored: [String: Product]) throws -> Product? {
        let product = try Self.resolve(draft, owners: owners, stored: stored)
        if let product, Self.draftID(draft) == nil, draft.skus.contains(where: { owners[UniqueClaim(namespace: "sku", value: $0)] == product.key }) {
            try checkSKUOwner(product, of: draft)
        }
        return product
    }

    /// The stored product a draft names, without the check of SKUs shared within the file.
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
