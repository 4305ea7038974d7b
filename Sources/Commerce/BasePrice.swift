import TorsoKit

/// A variant's regular price in one currency, optionally only for one channel.
public struct BasePrice: Sendable, Codable, Hashable {
    /// The currency.
    public var currency: Currency
    /// The channel the price is for; `nil` for every channel.
    public var channel: String?
    /// The unit price in minor units.
    public var amount: Int64

    /// Creates a base price.
    public init(currency: Currency, channel: String? = nil, amount: Int64) {
        self.currency = currency
        self.channel = channel
        self.amount = amount
    }
}
