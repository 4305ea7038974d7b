/// How the customer pays: the method type and, for cards, the number.
public struct PaymentMethodDetails: Sendable, Hashable, Codable {
    /// `card`.
    public static let card = "card"
    /// `invoice`.
    public static let invoice = "invoice"
    /// `cash_on_delivery`.
    public static let cashOnDelivery = "cash_on_delivery"

    /// The method type (`card`, `invoice`, `cash_on_delivery`).
    public var type: String
    /// The card number for cards; spaces and hyphens are ignored.
    public var cardNumber: String?

    /// Creates method details.
    public init(type: String, cardNumber: String? = nil) {
        self.type = type
        self.cardNumber = cardNumber
    }

    /// A card payment.
    public static func card(number: String) -> PaymentMethodDetails {
        PaymentMethodDetails(type: card, cardNumber: number)
    }

    enum CodingKeys: String, CodingKey {
        case type
        case cardNumber = "card_number"
    }
}
