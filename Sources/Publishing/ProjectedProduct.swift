import Catalog
import Foundation
import Inventory
import Synchronization
import TorsoKit

/// One published product as a channel's heads see it: the facts lists filter, sort, facet and
/// search on, and its detail body per locale, encoded on the first read and kept.
///
/// Per-locale facts are arrays in the order of the channel's locales. Instances are immutable
/// (apart from the body cache) and shared between snapshots.
public final class ProjectedProduct: Sendable {
    /// The product's ID.
    public let id: String
    /// The product type's code.
    public let productType: String
    /// Slug per channel locale (after fallback).
    public let slugs: [String]
    /// Name per channel locale (after fallback).
    public let names: [String]
    /// The name per channel locale, folded for sorting.
    let sortNames: [String]
    /// Search tokens per channel locale, distinct, joined by spaces (one allocation, not one
    /// per token: there are hundreds of thousands of these).
    let tokens: [String]
    /// The first image, for list entries.
    let image: String?
    /// The lowest variant price in the channel's default currency, for a guest buying one unit
    /// (price lists applied as of the projector's `pricedAt`).
    public let price: Int64?
    /// The regular price when ``price`` is a sale price, for heads to strike through.
    public let compareAt: Int64?
    /// The channel's default currency.
    let currency: String
    /// The variants' IDs, in order.
    public let variantIds: [String]
    /// The variants' SKUs, in order (price lists may name variants by SKU).
    public let skus: [String]
    /// The active price lists that price the product's variants, when it was projected
    /// (``Projector/pricingKey(variantIds:skus:)``).
    let pricingKey: String
    /// Units available per variant (live stock), in variant order.
    let variantStock: [Int]
    /// Units available per variant and store the channel shows (variant-major, in the
    /// projector's ``StockScope/stores`` order); empty when it shows none.
    let storeStock: [Int]
    /// Units available over all variants.
    public let availableQuantity: Int
    /// The categories the product is in directly.
    public let categories: [String]
    /// Facet values as ``FacetSpace`` codes, sorted.
    let facetCodes: [UInt32]
    /// Numbers per number attribute, for ranges.
    let numbers: [String: Double]
    /// When it went live, in seconds since 1970, for sorting by newest.
    let publishedTime: Double
    /// Whether lists and search show it.
    public let visibleInListings: Bool
    /// The published document the facts were taken from.
    public let source: PublishedDocument
    /// Encoded detail bodies per channel locale, made on first read.
    let bodies: Mutex<[EncodedBody?]>
    /// Detail bodies priced for a customer group, by `<group>#<locale index>`, made on first read.
    let groupBodies = Mutex<[String: EncodedBody]>([:])
    /// The published product, decoded on first need (carts price from it).
    let decoded = Mutex<Product?>(nil)

    /// Whether any unit can be sold.
    public var inStock: Bool { availableQuantity > 0 }
    /// When it went live.
    public var publishedAt: String { source.at }

    init(id: String, productType: String, slugs: [String], names: [String], sortNames: [String], tokens: [String], image: String?,
         price: Int64?, compareAt: Int64?, currency: String, variantIds: [String], skus: [String], variantStock: [Int], storeStock: [Int],
         categories: [String],
         facetCodes: [UInt32], numbers: [String: Double], pricingKey: String, visibleInListings: Bool, source: PublishedDocument) {
        self.id = id
        self.productType = productType
        self.slugs = slugs
        self.names = names
        self.sortNames = sortNames
        self.tokens = tokens
        self.image = image
        self.price = price
        self.compareAt = compareAt
        self.currency = currency
        self.variantIds = variantIds
        self.skus = skus
        self.pricingKey = pricingKey
        self.variantStock = variantStock
        self.storeStock = storeStock
        self.availableQuantity = variantStock.reduce(0) { $0 + max(0, $1) }
        self.categories = categories
        self.facetCodes = facetCodes
        self.numbers = numbers
        self.publishedTime = Timestamp.parse(source.at)?.timeIntervalSince1970 ?? 0
        self.visibleInListings = visibleInListings
        self.source = source
        self.bodies = Mutex(Array(repeating: nil, count: slugs.count))
    }

    /// The same product with other live stock (levels per variant ID, narrowed to the
    /// projector's scope); detail bodies are made again.
    public func withStock(_ levels: [String: [StockLevel]], projector: Projector) -> ProjectedProduct {
        let live = projector.stock(of: variantIds, in: levels)
        let copy = ProjectedProduct(
            id: id, productType: productType, slugs: slugs, names: names, sortNames: sortNames, tokens: tokens, image: image,
            price: price, compareAt: compareAt, currency: currency, variantIds: variantIds, skus: skus,
            variantStock: live.variants, storeStock: live.stores, categories: categories, facetCodes: facetCodes, numbers: numbers,
            pricingKey: pricingKey, visibleInListings: visibleInListings, source: source)
        let known = decoded.withLock { $0 }
        copy.decoded.withLock { $0 = known }
        return copy
    }

    /// Whether any variant has a unit available at the store at `index` of `storeCount`.
    public func hasStock(atStore index: Int, of storeCount: Int) -> Bool {
        guard storeCount > 0, storeStock.count == variantIds.count * storeCount else { return false }
        return variantIds.indices.contains { storeStock[$0 * storeCount + index] > 0 }
    }

    /// Units of each variant available at the store at `index` of the projector's stores, in
    /// variant order; empty when the channel shows no stores.
    public func available(atStore index: Int, of storeCount: Int) -> [Int] {
        guard storeCount > 0, storeStock.count == variantIds.count * storeCount else { return [] }
        return variantIds.indices.map { storeStock[$0 * storeCount + index] }
    }

    /// Units of one variant available to sell (live stock), 0 for a variant it does not have.
    public func available(variant: String) -> Int {
        guard let index = variantIds.firstIndex(of: variant) else { return 0 }
        return max(0, variantStock[index])
    }

    /// The list entry in a channel locale.
    func summary(locale index: Int) -> JSONValue {
        .object([
            "id": .string(id), "slug": .string(slugs[index]), "name": .string(names[index]),
            "price": price.map { .object(["amount": .number(Double($0)), "currency": .string(currency)]) } ?? .null,
            "compare_at": compareAt.map { .object(["amount": .number(Double($0)), "currency": .string(currency)]) } ?? .null,
            "in_stock": .bool(availableQuantity > 0), "image": image.map { .string($0) } ?? .null,
        ])
    }
}

/// A detail body and its ETag.
public struct EncodedBody: Sendable {
    /// The JSON bytes.
    public let data: Data
    /// A strong ETag: a hash of the bytes.
    public let etag: String

    /// Wraps encoded bytes.
    public init(_ bytes: [UInt8]) {
        data = Data(bytes)
        etag = "\"\(Digest64.hash(data))\""
    }
}

/// A short, fast content hash for ETags (FNV-1a, 64 bits, hex).
public enum Digest64 {
    /// The hash of some text.
    public static func hex(_ text: String) -> String { hash(Data(text.utf8)) }

    /// The hash of some bytes.
    public static func hash(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { buffer in
            for byte in buffer {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
        }
        return String(hash, radix: 16)
    }
}
