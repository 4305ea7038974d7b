import Catalog
import Exchange
import Foundation
import Inventory
import TorsoKit

extension ImportBatch {
    /// A draft worked out in memory: refused, unchanged, or ready to write.
    enum Planned: Sendable {
        case failed([ExchangeError])
        case unchanged(key: String, stock: StockCells)
        case write(ProductBulkWriter.Prepared, body: JSONValue, stock: StockCells)
    }

    /// A batch checked in memory against what the database held when it was read: each draft's
    /// plan, and what the plan read — so that a write transaction can check in a few queries
    /// that it still holds (``stillHolds(_:in:)``) and write the plan without working it out
    /// again. An import prepares the next batch this way while the last one is written.
    struct Plan: Sendable {
        var planned: [Planned]
        /// The settings version the products were validated against.
        var settingsVersion: Int
        /// The claims read (the drafts' SKUs and slugs, the products' claims) and their owners.
        var claims: [UniqueClaim]
        var owners: [UniqueClaim: String]
        /// The stored products read, and their versions.
        var keys: [String]
        var versions: [String: Int]
        /// The categories asked about, and those that existed.
        var categories: [String]
        var existing: Set<String>
        /// Units on hand of the stored products' variants, by variant and location.
        var stock: [String: [String: Int]]
    }

    /// What a batch's plan reads before it works the drafts out: the settings, the owners of the
    /// drafts' SKUs and slugs, and the stored products they name.
    struct Lookups: Sendable {
        var settingsVersion: Int
        var catalog: CatalogContext
        var named: [[UniqueClaim]]
        var owners: [UniqueClaim: String]
        var keys: [String]
        var stored: [Product]
    }

    /// The drafts worked out, before the database says which claims others hold and which
    /// categories exist.
    struct Worked: Sendable {
        var planned: [Planned]
        var lines: [Int]
        var asked: [UniqueClaim]
        var categories: [String]
    }

    /// Works the batch out in memory from what `tx` reads (a read transaction will do): the
    /// stored products, claim owners and categories in a few queries, every draft applied and
    /// validated without the database. `nil` when the products are not independent of each
    /// other — two drafts name the same product, or share a SKU, slug, variant or unique value
    /// (then the order of the file decides, and only the one-by-one path keeps it).
    func plan(_ drafts: [ProductDraft], in tx: any Transaction) async throws -> Plan? {
        let lookups = try await lookups(drafts, in: tx)
        guard let worked = try work(drafts, lookups) else { return nil }
        return try await check(worked, lookups, in: tx)
    }

    /// The batch's reads before its drafts are worked out.
    func lookups(_ drafts: [ProductDraft], in tx: any Transaction) async throws -> Lookups {
        let (settingsVersion, catalog) = try await products.policy.contexts.versionedContext(in: tx)
        let named = drafts.map { Self.namedClaims($0) }
        let owners = try await tx.claims.conflictingClaims(named.flatMap { $0 }, excluding: "")
        let keys = Array(Set(drafts.compactMap(Self.draftID) + owners.values))
        let stored = try await products.policy.presented(try await tx.documents.fetchMany(Product.self, keys: keys), in: tx)
        return Lookups(settingsVersion: settingsVersion, catalog: catalog, named: named, owners: owners, keys: keys, stored: stored)
    }

    /// The drafts applied and validated in memory (no database: another core may do it while a
    /// batch is written); `nil` when they depend on each other.
    func work(_ drafts: [ProductDraft], _ lookups: Lookups) throws -> Worked? {
        let writer = ProductBulkWriter(service: products)
        let byKey = Dictionary(lookups.stored.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var planned: [Planned] = []
        var targets = Set<String>()
        var claimed: [UniqueClaim: Int] = [:]
        for (index, draft) in drafts.enumerated() {
            var touches = lookups.named[index]
            do {
                let existing = try resolve(draft, owners: lookups.owners, stored: byKey)
                if let existing {
                    guard targets.insert(existing.key).inserted else { return nil }
                    touches += products.policy.claims(existing, lookups.catalog)
                }
                let body = try body(for: draft, existing: existing)
                if let prepared = try writer.prepare(body, previous: existing, catalog: lookups.catalog, context: context) {
                    touches += prepared.claims
                    planned.append(.write(prepared, body: body, stock: try stockRows(draft, existing: existing)))
                } else {
                    planned.append(.unchanged(key: existing!.key, stock: try stockRows(draft, existing: existing)))
                }
            } catch {
                planned.append(.failed(try Outcome.errors(of: error, draft: draft)))
            }
            for claim in Set(touches) {
                if let other = claimed[claim], other != index { return nil }
                claimed[claim] = index
            }
        }
        var prepared: [ProductBulkWriter.Prepared] = []
        for case .write(let item, _, _) in planned { prepared.append(item) }
        return Worked(planned: planned, lines: drafts.map(\.line), asked: lookups.named.flatMap { $0 } + prepared.flatMap(\.claims),
                      categories: Array(Set(prepared.flatMap { $0.product.categories.map(\.rawValue) })))
    }

    /// What only the database knows, for every product at once: claims held by others and
    /// categories that exist; answers the plan, with what it read. The write transaction checks
    /// that all of it still holds (``stillHolds(_:in:)``) before it writes the plan.
    func check(_ worked: Worked, _ lookups: Lookups, in tx: any Transaction) async throws -> Plan {
        // The drafts' own SKUs and slugs were read with the lookups; the products' other claims
        // (unique values) are read now. The write transaction checks them all again.
        let named = Set(lookups.named.flatMap { $0 })
        let holders = lookups.owners.merging(try await tx.claims.conflictingClaims(worked.asked.filter { !named.contains($0) }, excluding: ""),
                                             uniquingKeysWith: { first, _ in first })
        let existing = try await tx.products.existingCategories(worked.categories)
        let planned = worked.planned.enumerated().map { index, plan -> Planned in
            guard case .write(let item, _, _) = plan else { return plan }
            var errors = ProductBulkWriter.categoryErrors(item.product, existing: existing)
            if errors.isEmpty {
                let conflicts = holders.filter { $0.value != item.product.key && item.claims.contains($0.key) }
                errors = products.policy.conflictErrors(item.product, conflicts: conflicts, context: lookups.catalog)
            }
            guard !errors.isEmpty else { return plan }
            return .failed(errors.errors.map { ExchangeError(code: $0.code, line: worked.lines[index], column: $0.pointer.isEmpty ? nil : $0.pointer, detail: $0.detail) })
        }
        var stock: [String: [String: Int]] = [:]
        for product in lookups.stored {
            for variant in product.variants {
                stock[variant.id.rawValue] = Dictionary(variant.stock.map { ($0.location, $0.onHand) }, uniquingKeysWith: { first, _ in first })
            }
        }
        return Plan(planned: planned, settingsVersion: lookups.settingsVersion, claims: worked.asked, owners: holders, keys: lookups.keys,
                    versions: Dictionary(lookups.stored.map { ($0.key, $0.version) }, uniquingKeysWith: { first, _ in first }),
                    categories: worked.categories, existing: existing, stock: stock)
    }

    /// Whether what a plan read (in another transaction, a moment ago) is still so in `tx`:
    /// the settings, the claims' owners, the stored products' versions, the categories and the
    /// units on hand. Five queries, none of them reading a document.
    func stillHolds(_ plan: Plan, in tx: any Transaction) async throws -> Bool {
        guard try await tx.documents.settingsVersion() == plan.settingsVersion,
              try await tx.claims.conflictingClaims(plan.claims, excluding: "") == plan.owners,
              try await tx.documents.versions(Product.self, keys: plan.keys) == plan.versions,
              try await tx.products.existingCategories(plan.categories) == plan.existing else { return false }
        guard !plan.stock.isEmpty else { return true }
        let levels = try await tx.stock.levels(products: Array(plan.versions.keys), asOf: Timestamp.string(Date()))
        for (variant, counts) in plan.stock {
            let now = Dictionary((levels[variant] ?? []).map { ($0.locationId, $0.onHand) }, uniquingKeysWith: { first, _ in first })
            if now != counts { return false }
        }
        return true
    }
}
