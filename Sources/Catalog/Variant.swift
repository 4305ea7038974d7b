import TorsoKit

/// Marks variant identifiers (`var_…`).
public enum VariantEntity: IdentifiedEntity { public static let idPrefix = "var" }

/// A sellable variant of a product: its SKU, its options on the product type's axes, its own
/// values, its prices and its stock on hand per location.
public struct Variant: Codable, Sendable, Equatable {
    /// A price in one currency, optionally only for one channel.
    public struct Price: Codable, Sendable, Equatable {
        /// Minor units.
        public var amount: Int64
        /// The currency.
        public var currency: Currency
        /// The channel the price applies to; `nil` for every channel.
        public var channel: String?

        /// Creates a price.
        public init(amount: Int64, currency: Currency, channel: String? = nil) {
            self.amount = amount
            self.currency = currency
            self.channel = channel
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(amount, forKey: .amount)
            try container.encode(currency, forKey: .currency)
            try container.encode(channel, forKey: .channel)
        }
    }

    /// Units on hand at one stock location.
    public struct Stock: Codable, Sendable, Equatable {
        /// The stock location's code.
        public var location: String
        /// Units physically there.
        public var onHand: Int

        /// Creates a stock level.
        public init(location: String, onHand: Int) {
            self.location = location
            self.onHand = onHand
        }

        enum CodingKeys: String, CodingKey {
            case location
            case onHand = "on_hand"
        }
    }

    /// The variant's ID; assigned on create, kept on update when the client echoes it.
    public var id: ID<VariantEntity>
    /// The stock keeping unit, unique across the catalog.
    public var sku: String
    /// The option code per variant axis (`{"size": "m"}`).
    public var axes: [String: String]
    /// Variant-level attribute values.
    public var values: ValueSet
    /// Prices.
    public var prices: [Price]
    /// Stock on hand per location.
    public var stock: [Stock]

    /// Creates a variant.
    public init(id: ID<VariantEntity> = .generate(), sku: String, axes: [String: String] = [:], values: ValueSet = [:],
                prices: [Price] = [], stock: [Stock] = []) {
        self.id = id
        self.sku = sku
        self.axes = axes
        self.values = values
        self.prices = prices
        self.stock = stock
    }

    enum CodingKeys: String, CodingKey {
        case id, sku, axes, values, prices, stock
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(ID<VariantEntity>.self, forKey: .id) ?? .generate()
        sku = try container.decode(String.self, forKey: .sku)
        axes = try container.decodeIfPresent([String: String].self, forKey: .axes) ?? [:]
        values = try container.decodeIfPresent(ValueSet.self, forKey: .values) ?? [:]
        prices = try container.decodeIfPresent([Price].self, forKey: .prices) ?? []
        stock = try container.decodeIfPresent([Stock].self, forKey: .stock) ?? []
    }

    /// The body shape of one variant.
    public static let schema: FieldSchema = .object(
        [
            "id": .string(), "sku": .string(), "axes": .map(.string()),
            "values": .map(.array(AttributeValue.schema)),
            "prices": .array(.object(["amount": .integer, "currency": .string(), "channel": .nullable(.string())],
                                     required: ["amount", "currency"])),
            "stock": .array(.object(["location": .string(), "on_hand": .integer], required: ["location", "on_hand"])),
        ],
        required: ["sku"])

    /// Whether the variant may be sold beyond stock: its `allow_backorder` value is `true`.
    public var allowsBackorder: Bool { values["allow_backorder"]?.first?.data == .bool(true) }
}
