import Catalog
import Channels
import Commerce
import Events
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
    let pricing: CartPricing

    /// Creates the service.
    public init(store: any Store, catalog: StorefrontCatalog) {
        self.store = store
        pricing = CartPricing(store: store, catalog: catalog)
    }

    /// A cart with its totals, as heads see it.
    public struct View: Sendable {
        /// The cart.
        public var cart: Cart
        /// Its totals.
        public var totals: Totals
        /// The promotions that apply, and why entered codes do not.
        public var promotions: PromotionResult
        /// The cart's token, only when it was just made (a new cart, a claim).
        public var token: String?
        /// Read with a screen's token after a phone claimed the cart: the person's e-mail and
        /// addresses are left out.
        public var readOnly = false
    }

    /// Creates an empty cart in the channel's currency (or one of its others).
    public func create(channel: String, currency: String?, customer: (id: String, group: String?)?, email: String?) async throws -> View {
        let snapshot = try pricing.snapshot(channel)
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
        if let email {
            var errors = ValidationErrors()
            EmailAddress.check(email, at: "/email", into: &errors)
            try errors.throwIfAny()
        }
        cart.email = email
        let (token, access) = CartGuard.issue()
        cart.access = access
        let created = cart
        try await store.transaction { tx in try await tx.carts.insertCart(created) }
        var answer = try await view(created)
        answer.token = token
        return answer
    }

    /// A cart of the channel, with totals, for a caller with its token (``CartGuard``). An open cart's lines
    /// are priced as of now (a price list may have started or ended since the last change);
    /// a line no longer for sale keeps its last price until the cart changes or completes.
    public func get(_ id: String, caller: CartCaller) async throws -> View {
        let stored = try await store.read { tx in try await tx.carts.cart(id, forUpdate: false) }
        var cart = try CartGuard.check(stored, id: id, caller: caller, for: .read)
        if cart.status == .open { try await pricing.pricer(for: cart).reprice(&cart, at: Date(), strict: false) }
        var answer = try await view(cart)
        answer.readOnly = CartGuard.permission(cart, caller: caller) == .read
        return answer
    }

    /// Adds units of a variant (to its line, if there is one).
    public func addLine(_ id: String, caller: CartCaller, variant: String, quantity: Int, expectedVersion: Int?) async throws -> View {
        try Self.checkRange(quantity)
        let line = try await pricing.price(variant: variant, channel: caller.channel, quantity: quantity)
        let snapshot = try pricing.snapshot(caller.channel)
        return try await change(id, caller: caller, expectedVersion: expectedVersion) { cart in
            let wanted = quantity + (cart.lines.first { $0.variantId == variant }?.quantity ?? 0)
            if !line.allowBackorder { try Self.checkStock(variant, wanted: wanted, in: snapshot, pickupStore: cart.pickupStore) }
            if let index = cart.lines.firstIndex(where: { $0.variantId == variant }) {
                cart.lines[index].quantity += quantity
                guard Cart.lineQuantity.contains(cart.lines[index].quantity) else {
                    throw DomainError.validation([FieldError(pointer: "/quantity", code: "out_of_range",
                                                             detail: "A line holds at most \(Cart.lineQuantity.upperBound) units.")])
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
    public func updateLine(_ id: String, caller: CartCaller, line: String, quantity: Int, expectedVersion: Int?) async throws -> View {
        try Self.checkRange(quantity)
        let snapshot = try pricing.snapshot(caller.channel)
        return try await change(id, caller: caller, expectedVersion: expectedVersion) { cart in
            guard let index = cart.lines.firstIndex(where: { $0.id == line }) else { throw DomainError.notFound("line", line) }
            if !cart.lines[index].allowBackorder, quantity > cart.lines[index].quantity {
                try Self.checkStock(cart.lines[index].variantId, wanted: quantity, in: snapshot, pickupStore: cart.pickupStore,
                                    pointer: "/quantity")
            }
            cart.lines[index].quantity = quantity
        }
    }

    /// Refuses a quantity outside ``Cart/lineQuantity`` with 422 `out_of_range`.
    static func checkRange(_ quantity: Int) throws {
        guard Cart.lineQuantity.contains(quantity) else {
            throw DomainError.validation([FieldError(pointer: "/quantity", code: "out_of_range",
                                                     detail: "A quantity is between \(Cart.lineQuantity.lowerBound) and \(Cart.lineQuantity.upperBound).")])
        }
    }

    /// A soft check against the storefront's stock, so a head learns at once that it wants more
    /// than there is (409 `insufficient_stock`); the hold at checkout is what guarantees it.
    /// A click-and-collect cart counts its pickup store's units, not the channel's.
    static func checkStock(_ variant: String, wanted: Int, in snapshot: ChannelSnapshot, pickupStore: String?,
                           pointer: String = "/quantity") throws {
        let product = snapshot.product(variant: variant)
        var available = product?.available(variant: variant) ?? 0
        let scope = snapshot.projector.stockScope
        if let pickupStore, let product, let store = scope.storeIndex(pickupStore), let index = product.variantIds.firstIndex(of: variant) {
            let units = product.available(atStore: store, of: scope.stores.count)
            available = index < units.count ? units[index] : 0
        }
        if wanted > available {
            throw InventoryError.insufficientStock(variantId: variant, requested: wanted, available: available)
                .domainError(hidingCounts: snapshot.channel.stockDisplay == .band, pointer: pointer)
        }
    }

    /// Removes a line.
    public func removeLine(_ id: String, caller: CartCaller, line: String, expectedVersion: Int?) async throws -> View {
        try await change(id, caller: caller, expectedVersion: expectedVersion) { cart in
            guard let index = cart.lines.firstIndex(where: { $0.id == line }) else { throw DomainError.notFound("line", line) }
            cart.lines.remove(at: index)
        }
    }

    /// The shipping methods that ship the cart, with their prices, cheapest first.
    public func shippingOptions(_ id: String, caller: CartCaller) async throws -> [ShippingQuote] {
        let view = try await get(id, caller: caller)
        let methods = try await store.read { tx in try await pricing.settings(in: tx) }.methods
        return view.cart.shippingQuotes(methods, subtotal: view.totals.subtotal - view.totals.discountTotal)
    }

    // MARK: Internals

    /// Loads the cart for update, applies `body`, reprices, checks the version and saves.
    func change(_ id: String, caller: CartCaller, expectedVersion: Int?, _ body: (inout Cart) throws -> Void) async throws -> View {
        // Prices come from memory; read the cart, change and price it, then write it if its
        // version did not move (a concurrent change makes the loser retry or report 409).
        let current = try await store.read { tx in try await tx.carts.cart(id, forUpdate: false) }
        var cart = try CartGuard.check(current, id: id, caller: caller, for: .write)
        guard cart.status == .open else {
            throw DomainError(.conflict, code: "cart_not_open", detail: "The cart is \(cart.status.rawValue); it cannot change any more.")
        }
        if let expectedVersion, expectedVersion != cart.version {
            throw DomainError(.versionMismatch, code: "version_mismatch", detail: "The cart is at version \(cart.version).", currentVersion: cart.version)
        }
        let before = cart.version
        let held = Self.holdKey(cart)
        try body(&cart)
        try await pricing.reprice(&cart)
        // A change whose amounts overflow is refused before it is written, not after.
        do { _ = try cart.itemsSubtotal() } catch let error as CommerceError { throw error.domainError }
        cart.version += 1
        cart.updatedAt = Timestamp.string(Date())
        let saved = cart
        // Holds are for the cart as it was checked out: a change to what or where it takes lets
        // them go (checkout holds again), so a cart never sits on units it no longer wants.
        let releases = Self.holdKey(saved) != held
        let written = try await store.transaction { tx in
            guard try await tx.carts.replaceCart(saved, expectedVersion: before) else { return false }
            try await EventRecorder.cart(EventType.cartUpdated, saved, in: tx)
            if releases {
                let released = try await tx.reservations.replaceReservations(holder: id, with: [])
                try await EventRecorder.holdsChanged(variants: Set(released), in: tx)
            }
            return true
        }
        guard written else {
            throw DomainError(.versionMismatch, code: "version_mismatch", detail: "The cart changed meanwhile; read it again.")
        }
        return try await view(saved)
    }

    /// What a cart's holds depend on: its variants and quantities and where it is collected.
    static func holdKey(_ cart: Cart) -> String {
        cart.lines.map { "\($0.variantId)×\($0.quantity)" }.joined(separator: ",") + "|" + (cart.shippingMethod ?? "") + "|" + (cart.pickupStore ?? "")
    }

    /// Applies a promotion code; 422 with the reason when it does not apply to the cart.
    public func applyCode(_ id: String, caller: CartCaller, code: String, expectedVersion: Int?) async throws -> View {
        let view = try await get(id, caller: caller)
        let codes = (view.cart.promotionCodes ?? []) + [code]
        let promotions = try await store.read { tx in try await pricing.settings(in: tx) }.promotions
        let result = view.cart.evaluatePromotions(promotions, codes: codes, now: Date(), usage: try await pricing.usage(of: view.cart))
        if let rejection = result.rejections.first(where: { $0.code.lowercased() == code.lowercased() }) {
            throw DomainError.validation([FieldError(pointer: "/code", code: rejection.reason.rawValue,
                                                     detail: "Code '\(code)' does not apply: \(rejection.reason.rawValue.replacingOccurrences(of: "_", with: " ")).")])
        }
        return try await change(id, caller: caller, expectedVersion: expectedVersion) { cart in
            if !(cart.promotionCodes ?? []).contains(where: { $0.lowercased() == code.lowercased() }) {
                cart.promotionCodes = (cart.promotionCodes ?? []) + [code]
            }
        }
    }

    /// Removes a promotion code.
    public func removeCode(_ id: String, caller: CartCaller, code: String, expectedVersion: Int?) async throws -> View {
        try await change(id, caller: caller, expectedVersion: expectedVersion) { cart in
            let before = cart.promotionCodes ?? []
            cart.promotionCodes = before.filter { $0.lowercased() != code.lowercased() }
            if cart.promotionCodes?.count == before.count { throw DomainError.notFound("promotion code", code) }
        }
    }

    /// The cart with totals: line prices, promotions, shipping and tax.
    public func view(_ cart: Cart) async throws -> View {
        let current = try await store.read { tx in try await pricing.settings(in: tx) }
        let snapshot = try pricing.snapshot(cart.channel)
        let usage = try await pricing.usage(of: cart)
        let (totals, result) = try pricing.totals(cart, channel: snapshot.channel, rates: current.rates, methods: current.methods,
                                                  promotions: current.promotions, now: Date(), usage: usage)
        return View(cart: cart, totals: totals, promotions: result)
    }
}
