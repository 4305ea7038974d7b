import TorsoKit

/// The price of one shipping method for one cart.
public struct ShippingQuote: Sendable, Hashable, Codable {
    /// The method's ID.
    public var methodId: String
    /// The method's code.
    public var code: String
    /// The method's names per locale.
    public var name: LocalizedText
    /// The price in minor units (0 when free).
    public var amount: Int64
    /// The currency.
    public var currency: Currency
    /// The tax class shipping is taxed with.
    public var taxClass: String

    /// Creates a quote.
    public init(methodId: String, code: String, name: LocalizedText, amount: Int64, currency: Currency, taxClass: String) {
        self.methodId = methodId
        self.code = code
        self.name = name
        self.amount = amount
        self.currency = currency
        self.taxClass = taxClass
    }

    /// The quotes of every method available for a channel, currency and country, cheapest first
    /// (ties by code).
    public static func quotes(for methods: [ShippingMethod], channel: String?, currency: Currency, country: String,
                              subtotal: Int64, weightGrams: Int) -> [ShippingQuote] {
        methods
            .filter { $0.currency == currency && ($0.channel == nil || $0.channel == channel) }
            .compactMap { $0.quote(country: country, subtotal: subtotal, weightGrams: weightGrams) }
            .sorted { $0.amount != $1.amount ? $0.amount < $1.amount : $0.code < $1.code }
    }

    enum CodingKeys: String, CodingKey {
        case code, name, amount, currency
        case methodId = "method_id"
        case taxClass = "tax_class"
    }
}
