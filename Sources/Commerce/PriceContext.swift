import Foundation
import TorsoKit

/// Who buys, where, how many and when: the facts a price depends on.
public struct PriceContext: Sendable, Hashable {
    /// The sales channel's code.
    public var channel: String?
    /// The cart's currency.
    public var currency: Currency
    /// The customer's group; `nil` for guests and customers without one.
    public var customerGroup: String?
    /// The quantity of the variant in the cart line (for tiers).
    public var quantity: Int
    /// The instant to price at.
    public var now: Date

    /// Creates a price context.
    public init(channel: String?, currency: Currency, customerGroup: String? = nil, quantity: Int = 1, now: Date) {
        self.channel = channel
        self.currency = currency
        self.customerGroup = customerGroup
        self.quantity = quantity
        self.now = now
    }
}
