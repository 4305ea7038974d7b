import Catalog
import Foundation
import Inventory
import TorsoKit

/// What a product save does to stock, and how product reads show it. Inventory owns the
/// counts: a product's `variants[].stock` sets the first count of a variant at a location
/// (on create, or for a pair that has no stock yet), and otherwise must equal the count on hand
/// (what a read shows), or the save is refused with 422 `stock_managed_by_inventory` — counts
/// change through the inventory API's adjustments, never by an edit, so no edit can bring sold
/// units back. Pairs a save leaves out keep their stock; a removed variant's stock goes.
enum ProductStock {
    /// Writes the stock a save brings and logs it; returns the variants whose stock changed.
    static func save(_ product: Product, previous: Product?, context: WriteContext, in tx: any Transaction) async throws -> [String] {
        var sent: [StockKey: Int] = [:]
        var pointers: [StockKey: String] = [:]
        for (index, variant) in product.variants.enumerated() {
            for (position, level) in variant.stock.enumerated() {
                let key = StockKey(variantId: variant.id.rawValue, location: level.location)
                sent[key] = level.onHand
                pointers[key] = "/variants/\(index)/stock/\(position)/on_hand"
            }
        }
        let live = previous == nil ? [:] : try await tx.stock.lockOnHand(Array(sent.keys))
        var errors = ValidationErrors()
        var set: [StockKey: (productId: String, onHand: Int)] = [:]
        for (key, count) in sent.sorted(by: { $0.key < $1.key }) {
            if let current = live[key] {
                if current != count {
                    errors.add(pointers[key]!, "stock_managed_by_inventory",
                               "\(current) on hand at '\(key.location)' now; counts change through POST /admin/v1/inventory/adjustments, not a product edit.")
                }
            } else if count < 0 {
                errors.add(pointers[key]!, "out_of_range", "A first count is 0 or more.")
            } else {
                set[key] = (product.key, count)
            }
        }
        var removed: [StockKey] = []
        if let previous {
            // A variant leaves the product only with nothing on hand and nothing held: its units
            // are the inventory's (and a live listing may still sell them), not the edit's to drop.
            let kept = Set(product.variants.map(\.id.rawValue))
            let gone = previous.variants.filter { !kept.contains($0.id.rawValue) }
            if !gone.isEmpty {
                let levels = try await tx.stock.levels(products: [product.key], asOf: Timestamp.string(context.now))
                for variant in gone {
                    let here = levels[variant.id.rawValue] ?? []
                    if here.contains(where: { $0.onHand != 0 || $0.reserved > 0 }) {
                        errors.add("/variants", "variant_has_stock",
                                   "Variant '\(variant.sku)' has \(here.reduce(0) { $0 + $1.onHand }) units on hand (\(here.reduce(0) { $0 + $1.reserved }) held); count it to 0 through POST /admin/v1/inventory/adjustments before removing it.")
                    }
                    removed += here.map { StockKey(variantId: variant.id.rawValue, location: $0.locationId) }
                }
            }
        }
        try errors.throwIfAny()
        try await tx.stock.removeStock(removed)
        try await tx.stock.setStock(set)
        guard !set.isEmpty else { return Array(Set(removed.map(\.variantId))).sorted() }
        let skus = Dictionary(product.variants.map { ($0.id.rawValue, $0.sku) }, uniquingKeysWith: { first, _ in first })
        let batch = ID<AdjustmentEntity>.generate(at: context.now).rawValue
        let log = set.keys.sorted().enumerated().map { line, key in
            StockAdjustment(batch: batch, line: line, variantId: key.variantId, sku: skus[key.variantId] ?? "", productId: product.key,
                            location: key.location, kind: .set, quantity: set[key]!.onHand, onHandBefore: 0, onHandAfter: set[key]!.onHand,
                            reason: previous == nil ? "product_created" : "product_edit", reference: nil,
                            actor: context.actor.keyId, at: context.timestamp)
        }
        try await tx.stock.appendAdjustments(log)
        return Array(Set(set.keys.map(\.variantId) + removed.map(\.variantId))).sorted()
    }

    /// The products with every variant's `stock` showing the counts on hand now, location by
    /// location.
    static func showingLiveStock(_ products: [Product], in tx: any Transaction) async throws -> [Product] {
        guard !products.isEmpty else { return products }
        let levels = try await tx.stock.levels(products: products.map(\.key), asOf: Timestamp.string(Date()))
        return products.map { product in
            var shown = product
            for index in shown.variants.indices {
                shown.variants[index].stock = (levels[shown.variants[index].id.rawValue] ?? []).map {
                    Variant.Stock(location: $0.locationId, onHand: $0.onHand)
                }
            }
            return shown
        }
    }
}
