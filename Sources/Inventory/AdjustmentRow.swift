/// One requested change of the inventory API's adjustment batch, before it is checked: which
/// variant (by SKU or ID), where, and what to do.
public struct AdjustmentRow: Sendable, Hashable {
    /// What to do at the location.
    public enum Change: Sendable, Hashable {
        /// Set units on hand to an absolute count (a stock take, an ERP sync).
        case set(Int)
        /// Add units (received) or take them away (damaged) with a negative number.
        case delta(Int)
        /// Move units from the row's location to another.
        case transfer(to: String, quantity: Int)
    }

    /// The variant's SKU (this or ``variantId``).
    public var sku: String?
    /// The variant's ID (this or ``sku``).
    public var variantId: String?
    /// The stock location (for a transfer, where units leave).
    public var location: String
    /// The change.
    public var change: Change
    /// Why, when it differs from the batch's reason.
    public var reason: String?
    /// A reference, when it differs from the batch's.
    public var reference: String?

    /// Creates a row.
    public init(sku: String? = nil, variantId: String? = nil, location: String, change: Change, reason: String? = nil, reference: String? = nil) {
        self.sku = sku
        self.variantId = variantId
        self.location = location
        self.change = change
        self.reason = reason
        self.reference = reference
    }

    /// The locations the row touches.
    public var locations: [String] {
        if case .transfer(let to, _) = change { return [location, to] }
        return [location]
    }
}
