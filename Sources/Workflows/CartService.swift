import Catalog
import Channels
import Commerce
import Foundation
import Inventory
import Publishing
import Synchronization
import TorsoKit

/// Carts on the storefront: lines priced from the channel's published catalog with the same
/// resolver and price lists as the storefront (for the cart's customer group and each line's
/// quantity, at the time of the read or change), contact and addresses, promotion codes, shipping
/// methods, and totals computed on the server. Every change runs in one transaction on the cart's row and increases its version; a
/// cart that is completing or completed refuses changes with 409 `cart_not_open`.
public struct CartService: Sendable {
    let store: any Store
    let catalog: StorefrontCatalog
    let settings = CommerceSettingsCache()

    /// Creates the service.
    public init(store: any Store, catalog: StorefrontCatalog) {
        self.store = store
        self.catalog = catalog
    }

    /// Tax rates, shipping methods and promotions (with their use counts), cached per settings
    /// version: carts read them on every answer.
    func commerceSettings(in tx: any Transaction) async throws -> CommerceSettings {
        let version = try await tx.documents.settingsVersion()
        var current: CommerceSettings
        if let cached = settings.entry.withLock({ $0 }), cached.version == version {
            current = cached
        } else {
            current = CommerceSettings(version: version, rates: try await tx.documents.fetchAll(TaxRate.self),
                                       methods: try await tx.documents.fetchAll(ShippingMethod.self), promotions: try await tx.documents.fetchAll(Promotion.self))
            let fresh = current
            settings.entry.withLock { $0 = fresh }
        }
        if !current.promotions.isEmpty {
            let used = try await tx.counters.counters(current.promotions.map { Self.usageCounter($0.id) })
            for index in current.promotions.indices { current.promotions[index].timesUsed = used[Self.usageCounter(current.promotions[index].id)] ?? 0 }
        }
        return current
    }

    /// A cart with its totals, as heads see it.
    public struct View: Sendable {
        /// The cart.
        public var cart: Cart
        /// Its totals.
        public var totals: Totals
        /// The promotions that apply, and why entered codes do not.
        public var promotions: PromotionResult
    }

    /// A change to a cart's contact, addresses or shipping method.
    public struct Details: Sendable {
        /// A new email, if given.
        public var email: String?
        /// A new shipping address, if given.
        public var shippingAddress: Address?
        /// A new billing address, if given.
        public var billingAddress: Address?
        /// A shipping method's code, if given.
        public var shippingMethod: String?

        /// Creates a change.
        public init(email: String? = nil, shippingAddress: Address? = nil, billingAddress: Address? = nil, shippingMethod: String? = nil) {
            self.email = email
            self.shippingAddress = shippingAddress
            self.billingAddress = billingAddress
            self.shippingMethod = shippingMethod
        }
    }

    func snapshot(_ channel: String) throws -> ChannelSnapshot {
        guard let snapshot = catalog.snapshot(for: channel) else {
            throw DomainError(.notFound, code: "channel_not_found", detail: "The key's channel does not exist any more.")
        }
        return snapshot
    }

    /// Creates an empty cart in the channel's currency (or one of its others).
    public func create(channel: String, currency: String?, customer: (id: String, group: String?)?, email: String?) async throws -> View {
        let snapshot = try snapshot(channel)
        let chosen: Currency
        if let currency {
            guard let found = snapshot.channel.currencies.first(where: { $0.code == currency }) else {
                throw DomainError.validation([FieldError(pointer: "/currency", code: "currency_not_in_channel",
                                                         detail: "The channel sells in \(snapshot.channel.currencies.map(\.code).joined(separator: ", ")).")])
            }
            chosen = found
        } else {
            chosen = snapshot.channel.currencies.first ?? Currency("EUR")!
        }
        var cart = Cart(channel: channel, currency: chosen, at: Timestamp.string(Date()))
        cart.customerId = customer?.id
        cart.customerGroup = customer?.group
        if let email { try Self.check(email: email) }
        cart.email = email
        let created = cart
        try await store.transaction { tx in try await tx.carts.insertCart(created) }
        return try await view(created)
    }

    /// A cart of the channel, with totals; 404 for another channel's cart. An open cart's lines
    /// are priced as of now (a price list may have started or ended since the last change);
    /// a line no longer for sale keeps its last price until the cart changes or completes.
    public func get(_ id: String, channel: String) async throws -> View {
        let cart = try await store.read { tx in try await tx.carts.cart(id, forUpdate: false) }
        guard var cart, cart.channel == channel else { throw DomainError.notFound("cart", id) }
        if cart.status == .open { try await pricer(for: cart).reprice(&cart, at: Date(), strict: false) }
        return try await view(cart)
    }

    /// Adds units of a variant (to its line, if there is one).
    public func addLine(_ id: String, channel: String, variant: String, quantity: Int, expectedVersion: Int?) async throws -> View {
        guard (1...1_000).contains(quantity) else {
            throw DomainError.validation([FieldError(pointer: "/quantity", code: "out_of_range", detail: "A quantity is between 1 and 1000.")])
        }
        let line = try await price(variant: variant, channel: channel, quantity: quantity)
        let available = try snapshot(channel).product(variant: variant)?.available(variant: variant) ?? 0
        return try await change(id, channel: channel, expectedVersion: expectedVersion) { cart in
            // A soft check against the storefront's stock, so a head learns at once; the hold at
            // checkout is what guarantees it.
            let wanted = quantity + (cart.lines.first { $0.variantId == variant }?.quantity ?? 0)
            if !line.allowBackorder, wanted > available {
                throw InventoryError.insufficientStock(variantId: variant, requested: wanted, available: available).domainError
            }
            if let index = cart.lines.firstIndex(where: { $0.variantId == variant }) {
                cart.lines[index].quantity += quantity
                guard cart.lines[index].quantity <= 1_000 else {
                    throw DomainError.validation([FieldError(pointer: "/quantity", code: "out_of_range", detail: "A line holds at most 1000 units.")])
                }
            } else {
                guard cart.lines.count < 100 else {
                    throw DomainError(.conflict, code: "cart_full", detail: "A cart holds at most 100 lines.")
                }
                cart.lines.append(line)
            }
        }
    }

    /// Sets a line's quantity.
    public func updateLine(_ id: String, channel: String, line: String, quantity: Int, expectedVersion: Int?) async throws -> View {
        guard (1...1_000).contains(quantity) else {
            throw DomainError.validation([FieldError(pointer: "/quantity", code: "out_of_range", detail: "A quantity is between 1 and 1000.")])
        }
        return try await change(id, channel: channel, expectedVersion: expectedVersion) { cart in
            guard let index = cart.lines.firstIndex(where: { $0.id == line }) else { throw DomainError.notFound("line", line) }
            cart.lines[index].quantity = quantity
        }
    }

    /// Removes a line.
    public func removeLine(_ id: String, channel: String, line: String, expectedVersion: Int?) async throws -> View {
        try await change(id, channel: channel, expectedVersion: expectedVersion) { cart in
            guard let index = cart.lines.firstIndex(where: { $0.id == line }) else { throw DomainError.notFound("line", line) }
            cart.lines.remove(at: index)
        }
    }

    /// Sets the email, addresses or shipping method.
    public func update(_ id: String, channel: String, details: Details, expectedVersion: Int?) async throws -> View {
        var errors = ValidationErrors()
        if let email = details.email, (try? Self.check(email: email)) == nil {
            errors.add("/email", "invalid_email", "'\(email)' is not an email address.")
        }
        details.shippingAddress?.check(at: "/shipping_address", into: &errors)
        details.billingAddress?.check(at: "/billing_address", into: &errors)
        try errors.throwIfAny()
        let methods = details.shippingMethod == nil ? [] : try await store.read { tx in try await commerceSettings(in: tx) }.methods
        return try await change(id, channel: channel, expectedVersion: expectedVersion) { cart in
            if let email = details.email { cart.email = email }
            if let address = details.shippingAddress { cart.shippingAddress = address }
            if let address = details.billingAddress { cart.billingAddress = address }
            if let code = details.shippingMethod {
                guard let method = methods.first(where: { $0.code == code }), Self.offers(method, cart) else {
                    throw DomainError.validation([FieldError(pointer: "/shipping_method", code: "shipping_method_unavailable",
                                                             detail: "'\(code)' does not ship this cart (channel, currency or country).")])
                }
                cart.shippingMethod = code
            }
        }
    }

    /// The shipping methods that ship the cart, with their prices, cheapest first.
    public func shippingOptions(_ id: String, channel: String) async throws -> [ShippingQuote] {
        let view = try await get(id, channel: channel)
        let methods = try await store.read { tx in try await commerceSettings(in: tx) }.methods
        return Self.quotes(methods, view.cart, subtotal: view.totals.subtotal - view.totals.discountTotal)
    }

    // MARK: Internals

    static func check(email: String) throws {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), email.count <= 254, !email.contains(" ") else {
            throw DomainError.validation([FieldError(pointer: "/email", code: "invalid_email", detail: "'\(email)' is not an email address.")])
        }
    }

    static func offers(_ method: ShippingMethod, _ cart: Cart) -> Bool {
        (method.channel == nil || method.channel == cart.channel) && method.currency == cart.currency
            && (cart.shippingAddress.map { method.delivers(to: $0.country) } ?? true)
    }

    static func quotes(_ methods: [ShippingMethod], _ cart: Cart, subtotal: Int64) -> [ShippingQuote] {
        guard let country = cart.shippingAddress?.country else { return [] }
        let weight = cart.lines.reduce(0) { $0 + $1.weightGrams * $1.quantity }
        return methods.filter { offers($0, cart) }
            .compactMap { $0.quote(country: country, subtotal: subtotal, weightGrams: weight) }
            .sorted { ($0.amount, $0.code) < ($1.amount, $1.code) }
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
        let grams = (weight?["amount"]?.numberValue).map { amount in
            Int(weight?["unit"]?.stringValue == "KILOGRAM" ? amount * 1_000 : amount)
        } ?? 0
        let taxClass = product.values["tax_class"]?.first?.data.stringValue ?? TaxClass.standard
        var categories = Set<String>()
        for category in product.categories {
            var next: String? = category.rawValue
            while let current = next, categories.insert(current).inserted { next = snapshot.categories[current]?.parentId?.rawValue }
        }
        let line = CartLine(id: ID<CartLineEntity>.generate().rawValue, variantId: variant, productId: product.id.rawValue, sku: found.sku,
                            name: projected.names.first ?? found.sku, quantity: quantity, unitAmount: 0, taxClass: taxClass,
                            allowBackorder: found.values["allow_backorder"]?.first?.data == .bool(true), weightGrams: grams)
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

    /// Loads the cart for update, applies `body`, reprices, checks the version and saves.
    func change(_ id: String, channel: String, expectedVersion: Int?, _ body: (inout Cart) throws -> Void) async throws -> View {
        // Prices come from memory; read the cart, change and price it, then write it if its
        // version did not move (a concurrent change makes the loser retry or report 409).
        let current = try await store.read { tx in try await tx.carts.cart(id, forUpdate: false) }
        guard var cart = current, cart.channel == channel else { throw DomainError.notFound("cart", id) }
        guard cart.status == .open else {
            throw DomainError(.conflict, code: "cart_not_open", detail: "The cart is \(cart.status.rawValue); it cannot change any more.")
        }
        if let expectedVersion, expectedVersion != cart.version {
            throw DomainError(.versionMismatch, code: "version_mismatch", detail: "The cart is at version \(cart.version).", currentVersion: cart.version)
        }
        let before = cart.version
        try body(&cart)
        try await reprice(&cart)
        cart.version += 1
        cart.updatedAt = Timestamp.string(Date())
        let saved = cart
        let written = try await store.transaction { tx in try await tx.carts.replaceCart(saved, expectedVersion: before) }
        guard written else {
            throw DomainError(.versionMismatch, code: "version_mismatch", detail: "The cart changed meanwhile; read it again.")
        }
        return try await view(saved)
    }

    /// Applies a promotion code; 422 with the reason when it does not apply to the cart.
    public func applyCode(_ id: String, channel: String, code: String, expectedVersion: Int?) async throws -> View {
        let view = try await get(id, channel: channel)
        let codes = (view.cart.promotionCodes ?? []) + [code]
        let promotions = try await store.read { tx in try await commerceSettings(in: tx) }.promotions
        let result = Self.evaluate(view.cart, promotions: promotions, codes: codes, now: Date(), usage: try await usage(of: view.cart))
        if let rejection = result.rejections.first(where: { $0.code.lowercased() == code.lowercased() }) {
            throw DomainError.validation([FieldError(pointer: "/code", code: rejection.reason.rawValue,
                                                     detail: "Code '\(code)' does not apply: \(rejection.reason.rawValue.replacingOccurrences(of: "_", with: " ")).")])
        }
        return try await change(id, channel: channel, expectedVersion: expectedVersion) { cart in
            if !(cart.promotionCodes ?? []).contains(where: { $0.lowercased() == code.lowercased() }) {
                cart.promotionCodes = (cart.promotionCodes ?? []) + [code]
            }
        }
    }

    /// Removes a promotion code.
    public func removeCode(_ id: String, channel: String, code: String, expectedVersion: Int?) async throws -> View {
        try await change(id, channel: channel, expectedVersion: expectedVersion) { cart in
            let before = cart.promotionCodes ?? []
            cart.promotionCodes = before.filter { $0.lowercased() != code.lowercased() }
            if cart.promotionCodes?.count == before.count { throw DomainError.notFound("promotion code", code) }
        }
    }

    /// The counter of a promotion's uses.
    static func usageCounter(_ id: String) -> String { "promotion_used:" + id }

    /// How often the cart's customer used each promotion (for per-customer limits).
    func usage(of cart: Cart) async throws -> [String: Int] {
        guard let customer = cart.customerId else { return [:] }
        let orders = try await store.read { tx in try await tx.orders.listOrders(status: nil, customer: customer, page: PageRequest(limit: 200)) }
        var usage: [String: Int] = [:]
        for order in orders where order.status != .canceled {
            for promotion in order.promotions ?? [] { usage[promotion.promotionId, default: 0] += 1 }
        }
        return usage
    }

    /// The cart with totals: line prices, promotions, shipping and tax.
    public func view(_ cart: Cart) async throws -> View {
        let current = try await store.read { tx in try await commerceSettings(in: tx) }
        let snapshot = try snapshot(cart.channel)
        let usage = try await usage(of: cart)
        let (totals, result) = try Self.totals(cart, channel: snapshot.channel, rates: current.rates, methods: current.methods,
                                               promotions: current.promotions, now: Date(), usage: usage)
        return View(cart: cart, totals: totals, promotions: result)
    }

    /// The promotions that apply to a cart (automatic ones and its codes).
    static func evaluate(_ cart: Cart, promotions: [Promotion], codes: [String]? = nil, now: Date, usage: [String: Int]) -> PromotionResult {
        let lines = cart.lines.map {
            CartLineInput(lineId: $0.id, variantId: $0.variantId, productId: $0.productId, categories: Set($0.categories ?? []),
                          quantity: $0.quantity, unitAmount: $0.unitAmount)
        }
        return PromotionEvaluator(promotions: promotions).evaluate(lines: lines, currency: cart.currency, codes: codes ?? cart.promotionCodes ?? [],
                                                                  now: now, customerUsage: usage)
    }

    /// Totals of a cart under the channel's tax mode, the tax rates and the promotions:
    /// discounts first (per line), then shipping on the discounted subtotal, then tax per line.
    static func totals(_ cart: Cart, channel: Channel, rates: [TaxRate], methods: [ShippingMethod], promotions: [Promotion],
                       now: Date, usage: [String: Int]) throws -> (Totals, PromotionResult) {
        let mode: TaxMode = channel.pricesIncludeTax ? .inclusive : .exclusive
        let lines = cart.lines.map { TotalsLine(lineId: $0.id, unitAmount: $0.unitAmount, quantity: $0.quantity, taxClass: $0.taxClass) }
        let result = evaluate(cart, promotions: promotions, now: now, usage: usage)
        let subtotal = cart.lines.reduce(Int64(0)) { $0 + $1.unitAmount * Int64($1.quantity) } - result.discountTotal
        let method = cart.shippingMethod.flatMap { code in methods.first { $0.code == code } }
        let quote = method.flatMap { quotes([$0], cart, subtotal: max(0, subtotal)).first }
        let country = cart.shippingAddress?.country ?? channel.defaultCountry ?? ""
        do {
            let totals = try CartTotals(taxTable: TaxTable(rates: rates), taxMode: mode).calculate(
                lines: lines, discounts: result.lineDiscounts, shippingAmount: quote?.amount ?? 0,
                shippingTaxClass: quote?.taxClass ?? TaxClass.standard, country: country, region: cart.shippingAddress?.region,
                currency: cart.currency)
            return (totals, result)
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
