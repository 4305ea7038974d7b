import Catalog
import Channels
import Commerce
import Foundation
import Publishing
import Synchronization
import TorsoKit

/// What carts and checkout price with, shared by both use cases: the channel's snapshot (its
/// published variants and price lists), the commerce settings of the current settings version,
/// and a customer's earlier promotion uses. The arithmetic itself is Commerce's
/// (``Cart/totals(pricesIncludeTax:defaultCountry:rates:methods:promotions:now:usage:)``).
struct CartPricing: Sendable {
    let store: any Store
    let catalog: StorefrontCatalog
    let cache = CommerceSettingsCache()

    /// Tax rates, shipping methods and promotions (with their use counts), cached per settings
    /// version: carts read them on every answer.
    func settings(in tx: any Transaction) async throws -> CommerceSettings {
        let version = try await tx.documents.settingsVersion()
        var current: CommerceSettings
        if let cached = cache.entry.withLock({ $0 }), cached.version == version {
            current = cached
        } else {
            current = CommerceSettings(version: version, rates: try await tx.documents.fetchAll(TaxRate.self),
                                       methods: try await tx.documents.fetchAll(ShippingMethod.self), promotions: try await tx.documents.fetchAll(Promotion.self))
            let fresh = current
            cache.entry.withLock { $0 = fresh }
        }
        if !current.promotions.isEmpty {
            let used = try await tx.counters.counters(current.promotions.map { Self.usageCounter($0.id) })
            for index in current.promotions.indices { current.promotions[index].timesUsed = used[Self.usageCounter(current.promotions[index].id)] ?? 0 }
        }
        return current
    }

    func snapshot(_ channel: String) throws -> ChannelSnapshot {
        try catalog.requireSnapshot(for: channel)
    }

    /// A priced line for a variant published on the channel.
    func price(variant: String, channel: String, quantity: Int) async throws -> CartLine {
        let snapshot = try snapshot(channel)
        guard let projected = snapshot.product(variant: variant) else {
            throw DomainError.validation([FieldError(pointer: "/variant_id", code: "variant_not_found",
                                                     detail: "No variant '\(variant)' is published on this channel.")])
        }
        let product = try await catalog.published(projected, in: snapshot)
        guard let found = product.variants.first(where: { $0.id.rawValue == variant }) else {
            throw DomainError.validation([FieldError(pointer: "/variant_id", code: "variant_not_found", detail: "No variant '\(variant)'.")])
        }
        let weight = found.values["weight"]?.first?.data.objectValue
        // A weight is trusted only within 0 g … 1,000 t: a catalog value gone wild (1e300,
        // negative) makes the variant unshippable, never a crash or a free parcel.
        let grams: Int
        if let amount = weight?["amount"]?.numberValue {
            let value = weight?["unit"]?.stringValue == "KILOGRAM" ? amount * 1_000 : amount
            guard value.isFinite, (0...1e9).contains(value) else {
                throw DomainError(.conflict, code: "variant_unavailable", detail: "'\(found.sku)' has a weight that cannot be shipped; the merchant must correct it.",
                                  errors: [FieldError(pointer: "/variant_id", code: "variant_unavailable", detail: "Its weight is out of range.")])
            }
            grams = Int(value)
        } else {
            grams = 0
        }
        let taxClass = product.values["tax_class"]?.first?.data.stringValue ?? TaxClass.standard
        var categories = Set<String>()
        for category in product.categories {
            var next: String? = category.rawValue
            while let current = next, categories.insert(current).inserted { next = snapshot.categories[current]?.parentId?.rawValue }
        }
        let line = CartLine(id: ID<CartLineEntity>.generate().rawValue, variantId: variant, productId: product.id.rawValue, sku: found.sku,
                            name: projected.names.first ?? found.sku, quantity: quantity, unitAmount: 0, taxClass: taxClass,
                            allowBackorder: found.allowsBackorder, weightGrams: grams)
        var priced = line
        priced.categories = categories.sorted()
        return priced
    }

    /// Prices every line from the published catalog in the cart's currency, now; lines no longer
    /// published or without a price in the currency are refused.
    func reprice(_ cart: inout Cart) async throws {
        try await pricer(for: cart).reprice(&cart, at: Date(), strict: true)
    }

    /// The published variants of a cart's lines, read ahead so that pricing itself needs no I/O
    /// (checkout prices inside its transaction).
    func pricer(for cart: Cart) async throws -> LinePricer {
        let snapshot = try snapshot(cart.channel)
        var variants: [String: Variant] = [:]
        for line in cart.lines where variants[line.variantId] == nil {
            guard let projected = snapshot.product(variant: line.variantId),
                  let product = try? await catalog.published(projected, in: snapshot),
                  let variant = product.variants.first(where: { $0.id.rawValue == line.variantId }) else { continue }
            variants[line.variantId] = variant
        }
        return LinePricer(snapshot: snapshot, variants: variants, read: Set(cart.lines.map(\.variantId)))
    }

    /// The counter of a promotion's uses.
    static func usageCounter(_ id: String) -> String { "promotion_used:" + id }

    /// The counter of one buyer's uses of a promotion.
    static func usageCounter(_ id: String, by buyer: String) -> String { "promotion_used:" + id + ":by:" + buyer }

    /// Who a per-customer limit counts: the signed-in customer, else the cart's e-mail address,
    /// normalized (trimmed, lower case, without a `+tag`), so that guest carts with one address
    /// share its uses; `nil` before the cart has either.
    static func buyerKey(_ cart: Cart) -> String? {
        if let customer = cart.customerId { return "customer:" + customer }
        guard let email = cart.email?.trimmingCharacters(in: .whitespaces).lowercased(), let at = email.lastIndex(of: "@") else { return nil }
        let local = email[..<at].split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return "email:" + local + email[at...]
    }

    /// How often the cart's buyer used each promotion with a per-customer limit: the uses
    /// counted at completion, and, for a signed-in customer, the orders placed before counting
    /// began, whichever is more.
    func usage(of cart: Cart) async throws -> [String: Int] {
        guard let buyer = Self.buyerKey(cart) else { return [:] }
        let customer = cart.customerId
        return try await store.read { tx in
            let limited = try await settings(in: tx).promotions.filter { $0.usageLimitPerCustomer != nil }.map(\.id)
            guard !limited.isEmpty else { return [:] }
            let counted = try await tx.counters.counters(limited.map { Self.usageCounter($0, by: buyer) })
            var usage = Dictionary(limited.map { ($0, counted[Self.usageCounter($0, by: buyer)] ?? 0) }, uniquingKeysWith: { first, _ in first })
            if let customer {
                var fromOrders: [String: Int] = [:]
                for order in try await tx.orders.listOrders(status: nil, customer: customer, page: PageRequest(limit: 200)) where order.status != .canceled {
                    for promotion in order.promotions ?? [] { fromOrders[promotion.promotionId, default: 0] += 1 }
                }
                usage.merge(fromOrders) { max($0, $1) }
            }
            return usage
        }
    }

    /// Totals of a cart under the channel's tax mode and default country (``Cart/totals(pricesIncludeTax:defaultCountry:rates:methods:promotions:now:usage:)``).
    func totals(_ cart: Cart, channel: Channel, rates: [TaxRate], methods: [ShippingMethod], promotions: [Promotion],
                now: Date, usage: [String: Int]) throws -> (Totals, PromotionResult) {
        do {
            return try cart.totals(pricesIncludeTax: channel.pricesIncludeTax, defaultCountry: channel.defaultCountry, rates: rates,
                                   methods: methods, promotions: promotions, now: now, usage: usage)
        } catch let error as CommerceError {
            throw error.domainError
        }
    }
}

/// Prices a cart's lines with the storefront's resolver: the line's variant as published, the
/// cart's currency and customer group, the line's quantity (tiers) and an instant.
struct LinePricer: Sendable {
    /// The channel's snapshot: its price lists are the storefront's.
    let snapshot: ChannelSnapshot
    /// The published variants of the lines, by ID; absent when no longer for sale.
    let variants: [String: Variant]
    /// The variant IDs that were looked up.
    let read: Set<String>

    /// Sets each line's unit price (with its compare-at price and the list that set it). With
    /// `strict`, a line no longer for sale is a 409 `variant_unavailable`; otherwise it keeps its
    /// last price.
    func reprice(_ cart: inout Cart, at instant: Date, strict: Bool) throws {
        for index in cart.lines.indices {
            let line = cart.lines[index]
            guard read.contains(line.variantId) else {
                throw DomainError(.conflict, code: "checkout_in_progress", detail: "The cart changed meanwhile; try again.")
            }
            guard let variant = variants[line.variantId],
                  let price = snapshot.price(of: variant, currency: cart.currency.code, customerGroup: cart.customerGroup,
                                             quantity: line.quantity, at: instant) else {
                if !strict { continue }
                throw DomainError(.conflict, code: "variant_unavailable",
                                  detail: "'\(line.sku)' is not sold on this channel in \(cart.currency.code) any more; remove it from the cart.",
                                  errors: [FieldError(pointer: "/lines/\(index)", code: "variant_unavailable", detail: "Not for sale.")])
            }
            cart.lines[index].unitAmount = price.unitAmount
            cart.lines[index].compareAtAmount = price.compareAtAmount
            cart.lines[index].priceList = price.source == ResolvedPrice.baseSource ? nil : price.source
        }
    }
}

/// The settings carts price with, as of one settings version.
struct CommerceSettings: Sendable {
    var version: Int
    var rates: [TaxRate]
    var methods: [ShippingMethod]
    var promotions: [Promotion]
}

/// The last ``CommerceSettings`` read.
final class CommerceSettingsCache: Sendable {
    let entry = Mutex<CommerceSettings?>(nil)
}
