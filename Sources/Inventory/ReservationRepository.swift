/// Holds on stock with a time to live, per holder (a cart).
public protocol ReservationRepository: Sendable {
    /// Replaces every reservation of a holder (a cart); returns the variants it held before.
    @discardableResult
    func replaceReservations(holder: String, with reservations: [Reservation]) async throws -> [String]
    /// Gives the holder's reservations a client (the address that asked for them).
    func assignClient(_ client: String, holder: String) async throws
    /// Units held now by a client's other holders.
    func heldUnits(client: String, excludingHolder holder: String, asOf now: String) async throws -> Int
    /// The unexpired reservations of a holder.
    func reservations(holder: String, asOf now: String) async throws -> [Reservation]
    /// Takes a holder's unexpired reservations out of stock on hand and removes them; returns
    /// them. A reservation whose units are no longer on hand is 409 `insufficient_stock`, unless
    /// its variant is in `backorder`.
    func consumeReservations(holder: String, asOf now: String, backorder: Set<String>) async throws -> [Reservation]
    /// Removes reservations that expired before `now`; returns the variants they held.
    func deleteExpiredReservations(asOf now: String) async throws -> [String]
}
