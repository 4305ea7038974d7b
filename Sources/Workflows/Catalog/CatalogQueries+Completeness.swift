import Catalog
import Foundation
import TorsoKit

extension CatalogQueries {
    /// Completeness of products already read, per channel × locale, with the settings of now.
    public func completeness(of products: [Product]) async throws -> [String: [Completeness]] {
        let context = try await store.read { tx in try await contexts.context(in: tx) }
        var result: [String: [Completeness]] = [:]
        for product in products {
            guard let type = context.productTypes[product.productType] else { continue }
            result[product.key] = Completeness.compute(for: product, type: type, context: context)
        }
        return result
    }

    /// The catalog's completeness per channel and locale: the mean ratio over every product, how
    /// many products are complete there, and which are not. Reads every product: the back office
    /// caches it.
    public func completenessSummary() async throws -> [CompletenessCell] {
        var sums: [String: (total: Double, complete: Int, count: Int)] = [:]
        var incomplete: [String: [String]] = [:]
        var cursor: String?
        repeat {
            let page = try await products(query: nil, productType: nil, category: nil,
                                          page: PageRequest(limit: 500, cursor: cursor.map { Cursor(after: $0) }))
            let figures = try await completeness(of: page.data)
            for product in page.data {
                for entry in figures[product.key] ?? [] {
                    let key = entry.channel + "\u{0}" + entry.locale
                    var sum = sums[key] ?? (0, 0, 0)
                    sum.total += entry.ratio
                    sum.complete += entry.ratio >= 1 ? 1 : 0
                    sum.count += 1
                    sums[key] = sum
                    if entry.ratio < 1 { incomplete[key, default: []].append(product.key) }
                }
            }
            cursor = page.nextCursor.flatMap { Cursor(encoded: $0)?.after }
        } while cursor != nil
        return sums.map { key, sum in
            let parts = key.split(separator: "\u{0}", maxSplits: 1).map(String.init)
            return CompletenessCell(channel: parts[0], locale: parts.count > 1 ? parts[1] : "", ratio: sum.total / Double(max(1, sum.count)),
                                    complete: sum.complete, products: sum.count, incomplete: incomplete[key] ?? [])
        }.sorted { ($0.channel, $0.locale) < ($1.channel, $1.locale) }
    }
}

/// One cell of the completeness heat map: a channel and locale, the mean ratio and how many
/// products are complete there.
public struct CompletenessCell: Sendable, Equatable {
    /// The channel.
    public var channel: String
    /// The locale.
    public var locale: String
    /// The mean ratio over every product.
    public var ratio: Double
    /// Products complete there.
    public var complete: Int
    /// Products counted.
    public var products: Int
    /// The keys of the products not complete there, in key order.
    public var incomplete: [String] = []
}

extension CatalogQueries {
    /// Products by key, in the order given (those that are gone left out), with their live counts.
    public func products(keys: [String]) async throws -> [Product] {
        let found = try await store.read { tx in try await ProductStock.showingLiveStock(try await tx.documents.fetchMany(Product.self, keys: keys), in: tx) }
        let byKey = Dictionary(found.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        return keys.compactMap { byKey[$0] }
    }

    /// The settings products are written against now: attributes, product types, channels and locales.
    public func catalogContext() async throws -> CatalogContext {
        try await store.read { tx in try await contexts.context(in: tx) }
    }
}
