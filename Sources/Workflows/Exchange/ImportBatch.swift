import Catalog
import Exchange
import Foundation
import Inventory
import TorsoKit

/// One batch of an import, in one transaction: each product in a savepoint of its own (all or
/// nothing per product), found by ID, SKU or slug, applied over the stored product, written
/// with the API's checks, events and history; its stock set through inventory adjustments.
struct ImportBatch: Sendable {
    let products: ResourceService<ProductPolicy>
    let job: ImportJob
    let context: WriteContext
    let schema: ImportSchema
    let categories: [String: String]
    /// Failed products the job may still take (`max_errors` less those failed so far): the
    /// batch stops at the product that uses the last of them.
    var budget: Int?

    /// A batch worked out before its write transaction: a plan to check and write, or products
    /// that depend on each other (to go one by one).
    enum Prepared: Sendable {
        case plan(Plan)
        case dependent
    }

    /// What the batch did.
    struct Outcome {
        var counts = ImportJob.Counts()
        var errors: [ExchangeError] = []
        var stockChanged: Set<String> = []
        /// Products created in the batch whose first counts it sets.
        var created: Set<String> = []
        /// Variants the batch wrote in bulk for new products (no stock yet, none to look up).
        var fresh: [StockedVariant] = []
        var touched: [String] = []
        var stockRows: [AdjustmentRow] = []
        /// How many of the batch's drafts it took (fewer than all when `budget` ran out).
        var taken = 0

        /// Counts a product the batch took.
        mutating func record(_ draft: ProductDraft, _ result: ResourceService<ProductPolicy>.ImportOutcome, productId: String,
                             stock: StockCells) {
            let rows = stock.rows
            taken += 1
            counts.rows += draft.variantCount
            stockRows += rows
            if stock.kept > 0 { counts.stockKept = (counts.stockKept ?? 0) + stock.kept }
            switch result {
            case .created: counts.created += 1
            case .updated: counts.updated += 1
            case .unchanged: counts.skipped += rows.isEmpty ? 1 : 0
            }
            if !rows.isEmpty {
                // A product new in this batch is on no channel yet: its first counts announce nothing.
                if case .created = result { created.insert(productId) } else { stockChanged.insert(productId) }
                if case .unchanged = result { counts.updated += 1 }
            }
            // Shopify's draft and archived products are imported, not published.
            if draft.publishable != false { touched.append(productId) }
        }

        /// Counts a product the batch refused, with why; rethrows what is not the product's own problem.
        mutating func fail(_ draft: ProductDraft, _ error: any Error) throws {
            fail(draft, errors: try Self.errors(of: error, draft: draft))
        }

        /// Counts a product the batch refused for `errors`.
        mutating func fail(_ draft: ProductDraft, errors found: [ExchangeError]) {
            taken += 1
            counts.rows += draft.variantCount
            counts.failed += 1
            errors += found
        }

        /// The report lines of a product's own problem; rethrows any other error.
        static func errors(of error: any Error, draft: ProductDraft) throws -> [ExchangeError] {
            switch error {
            case let failure as ImportFailure:
                return failure.errors
            case let error as DomainError:
                let details = error.errors.isEmpty ? [FieldError(pointer: "", code: error.code, detail: error.detail)] : error.errors
                return details.map { ExchangeError(code: $0.code, line: draft.line, column: $0.pointer.isEmpty ? nil : $0.pointer, detail: $0.detail) }
            default:
                throw error
            }
        }
    }

    /// Writes the drafts; never throws for a product's own problems (they are reported). A
    /// batch whose products are independent of each other (no two name the same product, SKU,
    /// slug or unique value) is checked in memory and written in bulk; any other batch, or one
    /// whose bulk write the database refuses, goes product by product. Its stock is set in one
    /// adjustment batch after its products (each product's cells are checked before it is
    /// written).
    /// A plan made before the write transaction is written if what it read still holds.
    func run(_ drafts: [ProductDraft], prepared: Prepared? = nil, in tx: any Transaction) async throws -> Outcome {
        var outcome: Outcome
        switch prepared {
        case .plan(let plan):
            if try await stillHolds(plan, in: tx), let written = try await write(plan, drafts: drafts, in: tx) {
                outcome = written
            } else if let bulk = try await runInBulk(drafts, in: tx) {
                outcome = bulk
            } else {
                outcome = try await runEach(drafts, in: tx)
            }
        case .dependent:
            outcome = try await runEach(drafts, in: tx)
        case nil:
            if let bulk = try await runInBulk(drafts, in: tx) { outcome = bulk } else { outcome = try await runEach(drafts, in: tx) }
        }
        if !outcome.stockRows.isEmpty {
            _ = try await StockService.apply(outcome.stockRows, batch: ID<AdjustmentEntity>.generate(at: context.now).rawValue,
                                             reason: "import: " + String(job.fileName.prefix(180)), reference: job.id.rawValue,
                                             quiet: outcome.created, fresh: outcome.fresh, context: context, in: tx)
        }
        return outcome
    }

    /// The batch product by product, each in a savepoint of its own, as the API writes.
    func runEach(_ drafts: [ProductDraft], in tx: any Transaction) async throws -> Outcome {
        var outcome = Outcome()
        let claims = drafts.flatMap { $0.skus.map { UniqueClaim(namespace: "sku", value: $0) } }
        var owners = Dictionary(try await tx.claims.conflictingClaims(claims, excluding: "").map { ($0.key.value, $0.value) },
                                uniquingKeysWith: { first, _ in first })
        for draft in drafts {
            do {
                let known = owners
                let (result, productId, rows) = try await tx.savepoint { () async throws -> (ResourceService<ProductPolicy>.ImportOutcome, String, StockCells) in
                    let existing = try await find(draft, owners: known, in: tx)
                    let (outcome, saved) = try await products.importWrite(try body(for: draft, existing: existing), previous: existing,
                                                                          context: context, in: tx)
                    return (outcome, saved, try stockRows(draft, existing: existing))
                }
                for sku in draft.skus { owners[sku] = productId }
                outcome.record(draft, result, productId: productId, stock: rows)
            } catch {
                try outcome.fail(draft, error)
                if let budget, outcome.counts.failed >= budget { break }
            }
        }
        // A later product of the file may have removed a variant an earlier one gave counts to.
        let skus = Set(outcome.stockRows.compactMap(\.sku))
        if !skus.isEmpty {
            let live = Set(try await tx.stock.variants(skus: Array(skus), ids: []).map(\.sku))
            outcome.stockRows = outcome.stockRows.filter { $0.sku.map(live.contains) ?? true }
        }
        return outcome
    }

    /// The product's new body: the draft applied over the stored product (`existing`), after
    /// the job's mode and the draft's categories are checked.
    func body(for draft: ProductDraft, existing: Product?) throws -> JSONValue {
        if !draft.errors.isEmpty { throw ImportFailure(errors: draft.errors) }
        switch (job.mode, existing) {
        case (.create, .some(let product)):
            throw ImportFailure(errors: [ExchangeError(code: "product_exists", line: draft.line,
                                                       detail: "Product \(product.id.rawValue) has this ID, SKU or slug; import with mode update or upsert.")])
        case (.update, nil):
            throw ImportFailure(errors: [ExchangeError(code: "not_found", line: draft.line,
                                                       detail: "No product has this ID, SKU or slug; import with mode create or upsert.")])
        default: break
        }
        var categoryIds: [String]?
        if let references = draft.categories {
            var unknown: [String] = []
            categoryIds = references.compactMap { reference in
                if reference.hasPrefix("cat_") { return reference }
                if let id = categories[reference] { return id }
                unknown.append(reference)
                return nil
            }
            if !unknown.isEmpty {
                throw ImportFailure(errors: [ExchangeError(code: "unknown_category", line: draft.line, column: "categories",
                                                           detail: "No category has the slug \(unknown.map { "'\($0)'" }.joined(separator: ", ")).")])
            }
        }
        let base = try existing.map { try JSONCoding.tree($0) }
        let (body, errors) = DraftApplier.apply(draft, to: base, categories: categoryIds, schema: schema)
        guard let body else { throw ImportFailure(errors: errors) }
        return body
    }

    /// The stock rows to set for the draft: only counts that differ from what is on hand (a
    /// file exported and imported again changes nothing and logs nothing) and, with stock
    /// `initial`, only first counts; and how many differing cells were kept as on hand.
    func stockRows(_ draft: ProductDraft, existing: Product?) throws -> StockCells {
        var onHand: [String: Int] = [:]
        for variant in existing?.variants ?? [] {
            for level in variant.stock { onHand[variant.sku + "\u{0}" + level.location] = level.onHand }
        }
        var stock = (draft.stock.isEmpty ? documentStock(draft) : draft.stock).filter { onHand[$0.sku + "\u{0}" + $0.location] != $0.onHand }
        let differing = stock.count
        if (job.stock ?? .initial) == .initial {
            // First counts only: a count on hand changes through the inventory API (or stock=set).
            stock = stock.filter { onHand[$0.sku + "\u{0}" + $0.location] == nil }
        }
        let bad = stock.filter { !schema.locations.contains($0.location) || $0.onHand < 0 || $0.onHand > 1_000_000_000 }
        if !bad.isEmpty {
            throw ImportFailure(errors: bad.map { ExchangeError(code: "invalid_value", line: $0.line, column: "stock-" + $0.location,
                                                                detail: "Stock is 0 to 1,000,000,000 units at a stock location that exists.") })
        }
        return StockCells(rows: stock.map { AdjustmentRow(sku: $0.sku, location: $0.location, change: .set($0.onHand)) },
                          kept: differing - stock.count)
    }

    /// A product's stock cells: the counts to set, and how many were kept as on hand.
    struct StockCells: Sendable {
        var rows: [AdjustmentRow] = []
        var kept = 0
    }

    /// The stored product the draft names: by ID, else by its SKUs (all of one product), else by a slug.
    func find(_ draft: ProductDraft, owners known: [String: String], in tx: any Transaction) async throws -> Product? {
        if let id = draft.id ?? draft.document?.objectValue?["id"]?.stringValue {
            return try await products.importPrevious(id, in: tx)
        }
        let owners = Set(draft.skus.compactMap { known[$0] })
        if owners.count > 1 {
            throw ImportFailure(errors: [ExchangeError(code: "duplicate_sku", line: draft.line, column: "sku",
                                                       detail: "These SKUs belong to several products: \(owners.sorted().joined(separator: ", ")).")])
        }
        if let owner = owners.first {
            let product = try await products.importPrevious(owner, in: tx)
            if let product { try checkSKUOwner(product, of: draft) }
            return product
        }
        let slugs = draft.document?.objectValue?["slug"]?.objectValue?.compactMapValues(\.stringValue) ?? draft.slugs
        for (locale, slug) in slugs.sorted(by: { $0.key < $1.key }) {
            if let owner = try await tx.claims.claimOwner(UniqueClaim(namespace: "product_slug:" + locale, value: slug)) {
                return try await products.importPrevious(owner, in: tx)
            }
        }
        return nil
    }

    /// A draft found by its SKUs names another product than the one they belong to — another
    /// slug — when that product is new since this job started (an earlier product of the file,
    /// or one made meanwhile): one SKU on two products of a file is a mistake to report, not a
    /// rename (an older product found by SKU may take a new slug).
    func checkSKUOwner(_ product: Product, of draft: ProductDraft) throws {
        let slugs = draft.document?.objectValue?["slug"]?.objectValue?.compactMapValues(\.stringValue) ?? draft.slugs
        guard product.createdAt >= job.createdAt,
              let (_, slug) = slugs.sorted(by: { $0.key < $1.key }).first(where: { entry in product.slug[entry.key].map { $0 != entry.value } ?? false })
        else { return }
        let shared = draft.skus.filter { sku in product.variants.contains { $0.sku == sku } }
        throw ImportFailure(errors: [ExchangeError(code: "duplicate_sku", line: draft.line, column: "sku",
                                                   detail: "SKU \(shared.joined(separator: ", ")) is on '\(product.slug.locales.first.flatMap { product.slug[$0] } ?? product.key)', another product of this file; '\(slug)' needs SKUs of its own.")])
    }

    /// Stock in an NDJSON product's variants (`variants[].stock`), which goes through adjustments too.
    func documentStock(_ draft: ProductDraft) -> [ProductDraft.StockCell] {
        (draft.document?.objectValue?["variants"]?.arrayValue ?? []).flatMap { variant -> [ProductDraft.StockCell] in
            guard let sku = variant.objectValue?["sku"]?.stringValue else { return [] }
            return (variant.objectValue?["stock"]?.arrayValue ?? []).compactMap { entry in
                guard let location = entry.objectValue?["location"]?.stringValue, let units = entry.objectValue?["on_hand"]?.numberValue else { return nil }
                return ProductDraft.StockCell(sku: sku, location: location, onHand: Int(units), line: draft.line)
            }
        }
    }
}

/// A product the import could not take, with why.
struct ImportFailure: Error {
    var errors: [ExchangeError]
}
