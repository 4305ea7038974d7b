import Foundation
import TorsoKit

/// Marks price list identifiers (`pl_…`).
public enum PriceListEntity: IdentifiedEntity { public static let idPrefix = "pl" }

/// A named set of prices in one currency that, while active, adds sale prices or replaces base
/// prices, optionally only for one channel and one customer group. See ``PriceResolver``.
///
/// Stored as a setting (`/admin/v1/price-lists`): every write bumps the settings version, so the
/// storefront projections and the carts reload them.
public struct PriceList: StoredResource, Hashable {
    public static let kind = "price list"
    public static let collection = "price-lists"
    public static let schema: FieldSchema = .object(
        [
            "id": .string(), "code": .string(), "name": .nullable(.string()), "channel": .nullable(.string()), "currency": .string(),
            "customer_group": .nullable(.string()), "starts_at": .nullable(.string(format: "date-time")),
            "ends_at": .nullable(.string(format: "date-time")), "type": .oneOf(PriceListType.allCases.map(\.rawValue)),
            "priority": .integer,
            "prices": .array(.object(["variant_id": .nullable(.string()), "sku": .nullable(.string()), "amount": .integer,
                                      "min_quantity": .integer], required: ["amount"])),
        ].merging(metadataFields) { $1 },
        required: ["code", "currency", "type"], readOnly: ["id"] + Array(metadataFields.keys))

    /// At most this many prices in one list.
    public static let maximumEntries = 10_000

    /// The list's ID (`pl_…`), assigned by the server.
    public var id: String
    /// A stable code, reported as ``ResolvedPrice/source`` (`black-friday`); unique among lists.
    public var code: String
    /// A name for people.
    public var name: String?
    /// The channel the list applies to; `nil` for every channel.
    public var channel: String?
    /// The currency of every entry.
    public var currency: Currency
    /// The customer group the list is for; `nil` for everyone.
    public var customerGroup: String?
    /// The first instant the list is active; `nil` for always.
    public var startsAt: Date?
    /// The first instant the list is no longer active (exclusive); `nil` for never.
    public var endsAt: Date?
    /// Sale or override.
    public var type: PriceListType
    /// Higher wins among overrides.
    public var priority: Int
    /// The prices.
    public var prices: [PriceListEntry]

    public var key: String { id }
    public var version: Int = 1
    public var createdAt: String = ""
    public var updatedAt: String = ""

    /// Creates a price list.
    public init(id: String = ID<PriceListEntity>.generate().rawValue, code: String, name: String? = nil, channel: String? = nil,
                currency: Currency, customerGroup: String? = nil, startsAt: Date? = nil, endsAt: Date? = nil, type: PriceListType,
                priority: Int = 0, prices: [PriceListEntry] = []) {
        self.id = id
        self.code = code
        self.name = name
        self.channel = channel
        self.currency = currency
        self.customerGroup = customerGroup
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.type = type
        self.priority = priority
        self.prices = prices
    }

    /// Whether the list is active at `now`: `starts_at ≤ now < ends_at`, missing bounds open.
    public func isActive(at now: Date) -> Bool {
        if let startsAt, now < startsAt { return false }
        if let endsAt, now >= endsAt { return false }
        return true
    }

    /// Whether the list applies to a channel, currency and customer group: a `nil` channel or
    /// group on the list matches anything; a set one matches only itself.
    public func applies(channel: String?, currency: Currency, customerGroup: String?) -> Bool {
        guard self.currency == currency else { return false }
        if let own = self.channel, own != channel { return false }
        if let own = self.customerGroup, own != customerGroup { return false }
        return true
    }

    /// The entry for a variant at a quantity: the matching entry with the highest
    /// `min_quantity` not above `quantity` (the lower amount on a tie); `nil` if none.
    public func entry(variantId: String, sku: String?, quantity: Int) -> PriceListEntry? {
        prices
            .filter { $0.matches(variantId: variantId, sku: sku) && $0.minQuantity <= quantity }
            .min { lhs, rhs in
                lhs.minQuantity != rhs.minQuantity ? lhs.minQuantity > rhs.minQuantity : lhs.amount < rhs.amount
            }
    }

    /// How specific the list is: customer group (2) beats channel (1) beats general (0); both
    /// set scores 3.
    public var specificity: Int { (customerGroup == nil ? 0 : 2) + (channel == nil ? 0 : 1) }

    /// The instants at which the list starts or ends.
    public var boundaries: [Date] { [startsAt, endsAt].compactMap { $0 } }

    /// Checks what needs nothing but the list: the code and group, the time range, and every
    /// price (a variant or SKU, an amount that is not negative, a quantity of at least 1, no two
    /// prices for the same variant and quantity). The store-dependent checks (channel, unique
    /// code, known variants) are the policy's.
    public func validate() throws {
        var errors = ValidationErrors()
        check(into: &errors)
        try errors.throwIfAny()
    }

    /// ``validate()``'s checks, added to `errors`.
    public func check(into errors: inout ValidationErrors) {
        Code.check(code, at: "/code", into: &errors)
        if let name, name.count > 200 { errors.add("/name", "too_long", "A name has at most 200 characters.") }
        if let channel { Code.check(channel, at: "/channel", into: &errors) }
        if let customerGroup { Code.check(customerGroup, at: "/customer_group", into: &errors) }
        if let startsAt, let endsAt, endsAt <= startsAt { errors.add("/ends_at", "invalid_range", "A price list ends after it starts.") }
        if prices.count > Self.maximumEntries {
            errors.add("/prices", "too_many", "A price list holds at most \(Self.maximumEntries) prices.")
        }
        var seen: [String: Int] = [:]
        for (index, entry) in prices.enumerated() {
            let pointer = "/prices/\(index)"
            if entry.variantId == nil && entry.sku == nil {
                errors.add(pointer, "variant_or_sku_required", "A price names a variant_id or a sku.")
            }
            if let variantId = entry.variantId, ID<VariantReference>(parsing: variantId) == nil {
                errors.add(pointer + "/variant_id", "invalid_reference", "'\(variantId)' is not a variant ID (var_…).")
            }
            if let sku = entry.sku, sku.isEmpty || sku.count > 64 {
                errors.add(pointer + "/sku", "invalid_sku", "A SKU has 1–64 characters.")
            }
            if entry.amount < 0 { errors.add(pointer + "/amount", "invalid_amount", "Amounts are not negative.") }
            if entry.minQuantity < 1 { errors.add(pointer + "/min_quantity", "out_of_range", "min_quantity is at least 1.") }
            for target in [entry.variantId.map { "variant:" + $0 }, entry.sku.map { "sku:" + $0 }].compactMap({ $0 }) {
                let key = "\(target)#\(entry.minQuantity)"
                if let first = seen[key] {
                    errors.add(pointer, "duplicate_price", "Price \(first) already prices this variant from this quantity.")
                    break
                }
                seen[key] = index
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, code, name, channel, currency, type, priority, prices, version
        case customerGroup = "customer_group"
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Decodes a list. A currency that is not three upper-case letters and times that are not
    /// RFC 3339 are reported together with every other problem ``check(into:)`` finds, as one
    /// validation error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var errors = ValidationErrors()
        id = try container.decodeIfPresent(String.self, forKey: .id) ?? ID<PriceListEntity>.generate().rawValue
        code = try container.decode(String.self, forKey: .code)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        channel = try container.decodeIfPresent(String.self, forKey: .channel)
        let currencyCode = try container.decode(String.self, forKey: .currency)
        if let currency = Currency(currencyCode) {
            self.currency = currency
        } else {
            errors.add("/currency", "invalid_currency", "'\(currencyCode)' is not an ISO 4217 currency code (three upper-case letters).")
            self.currency = Currency("XXX")!
        }
        customerGroup = try container.decodeIfPresent(String.self, forKey: .customerGroup)
        func time(_ key: CodingKeys) throws -> Date? {
            guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let date = Timestamp.parse(text) else {
                errors.add("/" + key.stringValue, "invalid_date", "'\(text)' is not an RFC 3339 time (2026-11-27T00:00:00Z).")
                return nil
            }
            return date
        }
        startsAt = try time(.startsAt)
        endsAt = try time(.endsAt)
        type = try container.decode(PriceListType.self, forKey: .type)
        priority = try container.decodeIfPresent(Int.self, forKey: .priority) ?? 0
        prices = try container.decodeIfPresent([PriceListEntry].self, forKey: .prices) ?? []
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
        if !errors.isEmpty {
            check(into: &errors)
            try errors.throwIfAny()
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(code, forKey: .code)
        try container.encode(name, forKey: .name)
        try container.encode(channel, forKey: .channel)
        try container.encode(currency, forKey: .currency)
        try container.encode(customerGroup, forKey: .customerGroup)
        try container.encodeTimestamp(startsAt, forKey: .startsAt)
        try container.encodeTimestamp(endsAt, forKey: .endsAt)
        try container.encode(type, forKey: .type)
        try container.encode(priority, forKey: .priority)
        try container.encode(prices, forKey: .prices)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// Marks variant IDs (`var_…`) that price lists refer to; Commerce does not import Catalog.
enum VariantReference: IdentifiedEntity { static let idPrefix = "var" }
