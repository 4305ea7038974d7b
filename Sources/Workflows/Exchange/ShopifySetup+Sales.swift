import Commerce
import Exchange
import Foundation
import TorsoKit

extension ShopifySetup {
    /// Puts the file's sale prices in the sale price list `mapping.saleList` (created when
    /// missing): the entries of the file's SKUs are replaced by its sales (a sale that ended in
    /// Shopify ends here too), other entries stay; a list that would not change is not written.
    /// Answers what it did, for the report.
    func applySales(_ sales: [ShopifyMapping.SaleEntry], skus inFile: Set<String>, mapping: ShopifyMapping, store: any Store,
                    context: WriteContext) async throws -> String? {
        let latest = Dictionary(sales.map { ($0.sku, $0.amount) }, uniquingKeysWith: { _, last in last })
        var existing: Set<String> = []
        let skus = Array(latest.keys)
        for start in stride(from: 0, to: skus.count, by: 1_000) {
            let claims = skus[start..<min(skus.count, start + 1_000)].map { UniqueClaim(namespace: "sku", value: $0) }
            existing.formUnion(try await store.read { tx in try await tx.claims.conflictingClaims(claims, excluding: "") }.keys.map(\.value))
        }
        let entries = latest.filter { existing.contains($0.key) }
        let list = try await store.read { tx in try await tx.documents.fetchAll(PriceList.self) }.first { $0.code == mapping.saleList }
        guard list != nil || !entries.isEmpty else { return nil }
        let kept = (list?.prices ?? []).filter { $0.sku.map { !inFile.contains($0) } ?? true }
        if let list, Set(list.prices.compactMap { entry in entry.sku.map { "\($0) \(entry.amount) \(entry.minQuantity)" } })
            == Set(kept.compactMap { entry in entry.sku.map { "\($0) \(entry.amount) \(entry.minQuantity)" } } + entries.map { "\($0.key) \($0.value) 1" }),
           list.prices.count == kept.count + entries.count {
            return nil
        }
        let prices = kept
            .map { entry -> JSONValue in
                var object: [String: JSONValue] = ["amount": .number(Double(entry.amount))]
                if let sku = entry.sku { object["sku"] = .string(sku) }
                if let variant = entry.variantId { object["variant_id"] = .string(variant) }
                if entry.minQuantity > 1 { object["min_quantity"] = .number(Double(entry.minQuantity)) }
                return .object(object)
            }
            + entries.keys.sorted().map { JSONValue.object(["sku": .string($0), "amount": .number(Double(entries[$0]!))]) }
        if let list {
            _ = try await priceLists.update(list.id, patch: .object(["prices": .array(prices)]), expectedVersion: nil, context: context)
            return "price list \(mapping.saleList): \(entries.count) sale prices from this file"
        }
        _ = try await priceLists.create(.object([
            "code": .string(mapping.saleList), "name": .string("Shopify sale prices"), "currency": .string(mapping.currency),
            "type": .string("sale"), "prices": .array(prices),
        ]), context: context)
        return "price list \(mapping.saleList) created: \(entries.count) sale prices"
    }
}
