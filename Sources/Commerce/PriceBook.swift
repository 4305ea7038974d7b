import Foundation
import TorsoKit

/// Price lists indexed by the variants they price, so that resolving one variant's price reads
/// only the entries for that variant (a list may hold thousands). Resolution itself is
/// ``PriceResolver``'s; a book only narrows the lists first, so both give the same answer.
public struct PriceBook: Sendable {
    /// A variant's quantity tier: from `minQuantity` units on, the unit price is `unitAmount`.
    public struct Tier: Sendable, Hashable {
        /// The smallest quantity the price applies from.
        public var minQuantity: Int
        /// The unit price in minor units.
        public var unitAmount: Int64

        /// Creates a tier.
        public init(minQuantity: Int, unitAmount: Int64) {
            self.minQuantity = minQuantity
            self.unitAmount = unitAmount
        }
    }

    /// Every list in the book, in the order given.
    public let lists: [PriceList]
    /// (list, entry) positions per `v:<variant ID>` and `s:<SKU>`.
    private let index: [String: [Position]]

    private struct Position: Hashable, Sendable {
        var list: Int
        var entry: Int
    }

    /// An empty book: base prices only.
    public static let empty = PriceBook(lists: [])

    /// Indexes `lists`.
    public init(lists: [PriceList]) {
        self.lists = lists
        var index: [String: [Position]] = [:]
        for (listIndex, list) in lists.enumerated() {
            for (entryIndex, entry) in list.prices.enumerated() {
                let position = Position(list: listIndex, entry: entryIndex)
                if let variantId = entry.variantId { index["v:" + variantId, default: []].append(position) }
                if let sku = entry.sku { index["s:" + sku, default: []].append(position) }
            }
        }
        self.index = index
    }

    /// Whether the book holds no list.
    public var isEmpty: Bool { lists.isEmpty }

    /// The lists that price a variant, each narrowed to the variant's entries.
    public func lists(variantId: String, sku: String?) -> [PriceList] {
        guard !index.isEmpty else { return [] }
        var positions = index["v:" + variantId] ?? []
        if let sku, let bySku = index["s:" + sku] { positions += bySku }
        guard !positions.isEmpty else { return [] }
        var entries: [Int: Set<Int>] = [:]
        for position in positions { entries[position.list, default: []].insert(position.entry) }
        return entries.keys.sorted().map { listIndex in
            var narrowed = lists[listIndex]
            narrowed.prices = entries[listIndex]!.sorted().map { lists[listIndex].prices[$0] }
            return narrowed
        }
    }

    /// The variant's unit price in a context (see ``PriceResolver``), or `nil` when it has none.
    public func resolve(variantId: String, sku: String?, basePrices: [BasePrice], context: PriceContext) -> ResolvedPrice? {
        PriceResolver(priceLists: lists(variantId: variantId, sku: sku))
            .resolve(variantId: variantId, sku: sku, basePrices: basePrices, context: context)
    }

    /// The quantities above one at which the variant's unit price changes in a context (its
    /// customer group, channel, currency and time; the context's quantity is ignored), with the
    /// price from there on: exactly what a cart line of that many units is charged.
    public func tiers(variantId: String, sku: String?, basePrices: [BasePrice], context: PriceContext) -> [Tier] {
        let candidates = lists(variantId: variantId, sku: sku).filter {
            $0.isActive(at: context.now) && $0.applies(channel: context.channel, currency: context.currency, customerGroup: context.customerGroup)
        }
        let quantities = Set(candidates.flatMap { $0.prices.map(\.minQuantity) }).filter { $0 > 1 }.sorted()
        guard !quantities.isEmpty else { return [] }
        let resolver = PriceResolver(priceLists: candidates)
        var context = context
        context.quantity = 1
        var previous = resolver.resolve(variantId: variantId, sku: sku, basePrices: basePrices, context: context)?.unitAmount
        var tiers: [Tier] = []
        for quantity in quantities {
            context.quantity = quantity
            guard let amount = resolver.resolve(variantId: variantId, sku: sku, basePrices: basePrices, context: context)?.unitAmount else { continue }
            if amount != previous { tiers.append(Tier(minQuantity: quantity, unitAmount: amount)) }
            previous = amount
        }
        return tiers
    }

    /// The IDs of the lists active at `now`.
    public func activeIDs(at now: Date) -> Set<String> {
        Set(lists.lazy.filter { $0.isActive(at: now) }.map(\.id))
    }

    /// The first instant after `now` at which a list starts or ends, if any.
    public func nextBoundary(after now: Date) -> Date? {
        lists.lazy.flatMap(\.boundaries).filter { $0 > now }.min()
    }

    /// The sorted IDs of the lists among `ids` that price any of the variants (by ID or SKU).
    public func listIDs(pricing variantIds: [String], skus: [String], among ids: Set<String>) -> [String] {
        guard !ids.isEmpty else { return [] }
        var found = Set<String>()
        for key in variantIds.map({ "v:" + $0 }) + skus.map({ "s:" + $0 }) {
            for position in index[key] ?? [] where ids.contains(lists[position.list].id) { found.insert(lists[position.list].id) }
        }
        return found.sorted()
    }
}
