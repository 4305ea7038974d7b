import TorsoKit

/// A way to ship an order (standard, express, pickup), its price and where it delivers.
public struct ShippingMethod: StoredResource, Hashable {
    public static let kind = "shipping method"
    public static let collection = "shipping-methods"
    public static let schema: FieldSchema = .object(
        [
            "id": .string(), "code": .string(), "name": .localizedText, "channel": .nullable(.string()),
            "zones": .array(.object(["countries": .array(.string())], required: ["countries"])), "pickup": .boolean,
            "rate": .object(["type": .string(), "amount": .integer,
                             "tiers": .array(.object(["up_to_grams": .integer, "from_subtotal": .integer, "amount": .integer], required: ["amount"]))],
                            required: ["type"]),
            "free_above": .nullable(.integer), "tax_class": .string(), "currency": .string(),
        ].merging(metadataFields) { $1 },
        required: ["code", "zones", "rate", "currency"], readOnly: ["id"] + Array(metadataFields.keys))

    /// The method's ID.
    public var id: String
    /// A stable code (`dhl-standard`).
    public var code: String
    /// Names per locale.
    public var name: LocalizedText
    /// The channel offering it; `nil` for every channel.
    public var channel: String?
    /// Where it delivers; a country in any zone qualifies.
    public var zones: [ShippingZone]
    /// How it is priced.
    public var rate: ShippingRate
    /// The subtotal after discounts from which shipping is free (inclusive); `nil` for never.
    public var freeAbove: Int64?
    /// The tax class shipping is taxed with.
    public var taxClass: String
    /// The currency of every amount.
    public var currency: Currency
    /// Click and collect: the order is collected from a store the cart names (`pickup_store`),
    /// whose stock alone is held for it.
    public var pickup: Bool

    /// Creates a shipping method.
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    public var key: String { code }

    /// Creates a method.
    public init(id: String, code: String, name: LocalizedText = [:], channel: String? = nil, zones: [ShippingZone],
                rate: ShippingRate, freeAbove: Int64? = nil, taxClass: String = TaxClass.standard, currency: Currency) {
        self.version = 1
        self.createdAt = ""
        self.updatedAt = ""
        self.id = id
        self.code = code
        self.name = name
        self.channel = channel
        self.zones = zones
        self.rate = rate
        self.freeAbove = freeAbove
        self.taxClass = taxClass
        self.currency = currency
        self.pickup = false
    }

    /// Whether the method delivers to a country.
    public func delivers(to country: String) -> Bool { zones.contains { $0.contains(country: country) } }

    /// The price to ship to `country` for a subtotal after discounts and a parcel weight, or `nil`
    /// when the method does not deliver there or no tier covers the parcel. A subtotal at or
    /// above ``freeAbove`` ships free — but only where the method is available at all.
    public func quote(country: String, subtotal: Int64, weightGrams: Int) -> ShippingQuote? {
        guard delivers(to: country), let amount = rate.amount(subtotal: subtotal, weightGrams: weightGrams) else { return nil }
        let free = freeAbove.map { subtotal >= $0 } ?? false
        return ShippingQuote(methodId: id, code: code, name: name, amount: free ? 0 : amount, currency: currency, taxClass: taxClass)
    }

    enum CodingKeys: String, CodingKey {
        case id, code, name, channel, zones, rate, currency, version, pickup
        case freeAbove = "free_above"
        case taxClass = "tax_class"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        id = try container.decodeIfPresent(String.self, forKey: .id) ?? code
        name = try container.decodeIfPresent(LocalizedText.self, forKey: .name) ?? [:]
        channel = try container.decodeIfPresent(String.self, forKey: .channel)
        zones = try container.decode([ShippingZone].self, forKey: .zones)
        rate = try container.decode(ShippingRate.self, forKey: .rate)
        freeAbove = try container.decodeIfPresent(Int64.self, forKey: .freeAbove)
        taxClass = try container.decodeIfPresent(String.self, forKey: .taxClass) ?? TaxClass.standard
        currency = try container.decode(Currency.self, forKey: .currency)
        pickup = try container.decodeIfPresent(Bool.self, forKey: .pickup) ?? false
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }

    /// Checks what the schema cannot: codes, countries, amounts.
    public func validate() throws {
        var errors = ValidationErrors()
        Code.check(code, at: "/code", into: &errors)
        if zones.isEmpty { errors.add("/zones", "required", "A method ships to at least one zone.") }
        for (index, zone) in zones.enumerated() {
            if zone.countries.isEmpty { errors.add("/zones/\(index)/countries", "required", "A zone lists at least one country.") }
            for country in zone.countries where !CountryCode.isValid(country) {
                errors.add("/zones/\(index)/countries", "invalid_country", "'\(country)' is not an ISO 3166-1 alpha-2 country code.")
            }
        }
        switch rate {
        case .flat(let amount):
            if amount < 0 { errors.add("/rate/amount", "invalid_amount", "Amounts are not negative.") }
        case .weight(let tiers):
            if tiers.isEmpty || tiers.contains(where: { $0.amount < 0 }) {
                errors.add("/rate/tiers", "invalid_tiers", "Tiers are a non-empty list with amounts that are not negative.")
            }
        case .subtotal(let tiers):
            if tiers.isEmpty || tiers.contains(where: { $0.amount < 0 }) {
                errors.add("/rate/tiers", "invalid_tiers", "Tiers are a non-empty list with amounts that are not negative.")
            }
        }
        if let freeAbove, freeAbove < 0 { errors.add("/free_above", "invalid_amount", "Amounts are not negative.") }
        Code.check(taxClass, at: "/tax_class", into: &errors)
        try errors.throwIfAny()
    }
}
