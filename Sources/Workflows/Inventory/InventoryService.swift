import Commerce
import Foundation
import Inventory
import TorsoKit

/// Holds stock for carts and takes it out of stock on hand when an order is placed.
///
/// A reservation holds units of a variant at a location for a holder (a cart) until it expires
/// (15 minutes by default) or is released or consumed. What a variant can still sell at a
/// location is `on_hand` minus the units of unexpired reservations. Reserving reads and writes
/// in one transaction with the variant's stock rows locked (PostgreSQL `FOR UPDATE`; SQLite has
/// one writer), so two buyers can never both take the last unit: the second sees the first's
/// reservation and gets 409 `insufficient_stock`. Expired reservations simply stop counting;
/// ``expire(asOf:)`` only tidies them away.
public struct InventoryService: Sendable {
    /// One line to hold stock for.
    public struct Line: Sendable {
        /// The variant.
        public var variantId: String
        /// Units.
        public var quantity: Int
        /// Whether the variant may be sold beyond stock (the shortfall is backordered).
        public var allowBackorder: Bool

        /// Creates a line.
        public init(variantId: String, quantity: Int, allowBackorder: Bool = false) {
            self.variantId = variantId
            self.quantity = quantity
            self.allowBackorder = allowBackorder
        }
    }

    let store: any Store

    /// Creates the service.
    public init(store: any Store) { self.store = store }

    /// Replaces a holder's reservations with ones for `lines`, all or nothing; throws 409
    /// `insufficient_stock` naming the first line that cannot be held.
    @discardableResult
    public func reserve(holder: String, lines: [Line], locations: [String]? = nil, now: Date = Date(),
                        ttl: Duration = Reservation.defaultTTL) async throws -> [Reservation] {
        try await store.transaction { tx in
            try await Self.reserve(holder: holder, lines: lines, locations: locations, now: now, ttl: ttl, in: tx)
        }
    }

    /// ``reserve(holder:lines:locations:now:ttl:)`` inside a transaction of the caller's;
    /// `hidingCounts` for channels whose heads may not see how many units there are; `atLeast`
    /// keeps a hold alive that long even past its first expiry (completion: the payment's time).
    public static func reserve(holder: String, lines: [Line], locations: [String]?, now: Date, ttl: Duration, hidingCounts: Bool = false,
                               atLeast: Duration? = nil, client: CartCaller.HoldLimit? = nil, in tx: any Transaction) async throws -> [Reservation] {
        var merged: [String: Line] = [:]
        var order: [String] = []
        var firstLine: [String: Int] = [:]
        for (index, line) in lines.enumerated() {
            if firstLine[line.variantId] == nil { firstLine[line.variantId] = index }
            guard line.quantity > 0 else {
                throw InventoryError.invalidQuantity(pointer: "/lines/\(index)/quantity", quantity: line.quantity).domainError
            }
            if merged[line.variantId] == nil { order.append(line.variantId) }
            merged[line.variantId, default: Line(variantId: line.variantId, quantity: 0, allowBackorder: line.allowBackorder)].quantity += line.quantity
        }
        let levels = try await tx.stock.lockStock(variants: order.sorted(), asOf: Timestamp.string(now), excludingHolder: holder)
        // Holding again never extends a hold: new holds end when the holder's first unexpired
        // ones do (checking out again and again cannot keep units from other buyers).
        let current = try await tx.reservations.reservations(holder: holder, asOf: Timestamp.string(now))
        var firstEnd = current.map(\.expiresAt).min()
        if let end = firstEnd, let atLeast {
            firstEnd = max(end, now.addingTimeInterval(TimeInterval(atLeast.components.seconds)))
        }
        var reservations: [Reservation] = []
        for variant in order {
            let line = merged[variant]!
            var candidates = levels[variant] ?? []
            if let locations {
                candidates = locations.compactMap { location in candidates.first { $0.locationId == location } }
            }
            let allocations: [StockAllocation]
            do {
                allocations = try StockAllocator().allocate(quantity: line.quantity, variantId: variant, levels: candidates,
                                                            allowBackorder: line.allowBackorder)
            } catch let error as InventoryError {
                throw error.domainError(hidingCounts: hidingCounts, pointer: firstLine[variant].map { "/lines/\($0)/quantity" })
            }
            for allocation in allocations where allocation.quantity + allocation.backordered > 0 {
                var hold = Reservation(id: ID<ReservationEntity>.generate(at: now).rawValue, variantId: variant,
                                       locationId: allocation.locationId, quantity: allocation.quantity + allocation.backordered,
                                       cartId: holder, now: now, ttl: ttl)
                if let firstEnd, firstEnd < hold.expiresAt { hold.expiresAt = firstEnd }
                reservations.append(hold)
            }
        }
        if let client {
            // One client (an address) holds at most `cap` units at once, over all its carts.
            let elsewhere = try await tx.reservations.heldUnits(client: client.client, excludingHolder: holder, asOf: Timestamp.string(now))
            let wanted = reservations.reduce(0) { $0 + $1.quantity }
            if elsewhere + wanted > client.cap {
                throw DomainError(.conflict, code: "hold_limit_reached",
                                  detail: "Carts from here already hold \(elsewhere) units; at most \(client.cap) may be held at once. Complete or empty another cart first.")
            }
        }
        let before = try await tx.reservations.replaceReservations(holder: holder, with: reservations)
        if let client { try await tx.reservations.assignClient(client.client, holder: holder) }
        try await EventRecorder.holdsChanged(variants: Set(before).union(reservations.map(\.variantId)), in: tx)
        return reservations
    }

    /// Lets go of a holder's reservations.
    public func release(holder: String) async throws {
        try await store.transaction { tx in
            let before = try await tx.reservations.replaceReservations(holder: holder, with: [])
            try await EventRecorder.holdsChanged(variants: Set(before), in: tx)
        }
    }

    /// Takes a holder's unexpired reservations out of stock on hand, in a transaction of the
    /// caller's (the one that places the order); returns what was taken. Units that are no
    /// longer there (counted down since the hold) are 409 `insufficient_stock`, except for the
    /// variants in `backorder`, which may go below zero.
    public static func consume(holder: String, now: Date, backorder: Set<String> = [], in tx: any Transaction) async throws -> [Reservation] {
        try await tx.reservations.consumeReservations(holder: holder, asOf: Timestamp.string(now), backorder: backorder)
    }

    /// Removes reservations that have expired; returns the variants they held.
    @discardableResult
    public func expire(asOf now: Date = Date()) async throws -> [String] {
        try await store.transaction { tx in
            let variants = try await tx.reservations.deleteExpiredReservations(asOf: Timestamp.string(now))
            try await EventRecorder.holdsChanged(variants: Set(variants), in: tx)
            return variants
        }
    }
}

/// Marks reservation identifiers (`res_…`).
public enum ReservationEntity: IdentifiedEntity { public static let idPrefix = "res" }
