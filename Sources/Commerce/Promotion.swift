import Foundation
import TorsoKit

/// A discount rule: automatic (no code) or entered as a code, limited in time, usage and
/// minimum subtotal. See ``PromotionEvaluator`` for how promotions combine.
public struct Promotion: StoredResource, Hashable {
    public static let kind = "promotion"
    public static let collection = "promotions"
    public static let schema: FieldSchema = .object(
        [
            "id": .string(), "code": .nullable(.string()), "name": .string(),
            "kind": .object(["type": .string(), "basis_points": .integer, "amount": .integer, "currency": .string()], required: ["type"]),
            "target": .object(["type": .string(), "products": .array(.string()), "categories": .array(.string())], required: ["type"]),
            "minimum_subtotal": .nullable(.integer), "starts_at": .nullable(.string(format: "date-time")),
            "ends_at": .nullable(.string(format: "date-time")), "usage_limit": .nullable(.integer),
            "usage_limit_per_customer": .nullable(.integer), "times_used": .integer, "priority": .integer, "stackable": .boolean,
        ].merging(metadataFields) { $1 },
        required: ["id", "name", "kind"], readOnly: ["times_used"] + Array(metadataFields.keys))

    public var key: String { id }
    public var version: Int = 1
    public var createdAt: String = ""
    public var updatedAt: String = ""
    /// The promotion's ID; per-customer usage is counted by it.
    public var id: String
    /// The code customers enter (compared case-insensitively); `nil` applies automatically.
    public var code: String?
    /// A name for people.
    public var name: String
    /// Percentage or fixed amount.
    public var kind: PromotionKind
    /// The order or some items.
    public var target: PromotionTarget
    /// The cart subtotal (before discounts) the promotion needs; `nil` for none.
    public var minimumSubtotal: Int64?
    /// The first instant the promotion is valid; `nil` for always.
    public var startsAt: Date?
    /// The first instant it is no longer valid (exclusive); `nil` for never.
    public var endsAt: Date?
    /// How many orders may use it in total; `nil` for unlimited.
    public var usageLimit: Int?
    /// How many orders one customer may use it in; `nil` for unlimited.
    public var usageLimitPerCustomer: Int?
    /// How many orders have used it.
    public var timesUsed: Int
    /// Higher applies first.
    public var priority: Int
    /// Whether it combines with other stackable promotions.
    public var stackable: Bool

    /// Creates a promotion.
    public init(id: String, code: String? = nil, name: String, kind: PromotionKind, target: PromotionTarget = .order,
                minimumSubtotal: Int64? = nil, startsAt: Date? = nil, endsAt: Date? = nil, usageLimit: Int? = nil,
                usageLimitPerCustomer: Int? = nil, timesUsed: Int = 0, priority: Int = 0, stackable: Bool = true) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        self.target = target
        self.minimumSubtotal = minimumSubtotal
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.usageLimit = usageLimit
        self.usageLimitPerCustomer = usageLimitPerCustomer
        self.timesUsed = timesUsed
        self.priority = priority
        self.stackable = stackable
    }

    enum CodingKeys: String, CodingKey {
        case id, code, name, kind, target, priority, stackable, version
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case minimumSubtotal = "minimum_subtotal"
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case usageLimit = "usage_limit"
        case usageLimitPerCustomer = "usage_limit_per_customer"
        case timesUsed = "times_used"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        code = try container.decodeIfPresent(String.self, forKey: .code)
        name = try container.decode(String.self, forKey: .name)
        kind = try container.decode(PromotionKind.self, forKey: .kind)
        target = try container.decodeIfPresent(PromotionTarget.self, forKey: .target) ?? .order
        minimumSubtotal = try container.decodeIfPresent(Int64.self, forKey: .minimumSubtotal)
        startsAt = try container.decodeTimestampIfPresent(forKey: .startsAt)
        endsAt = try container.decodeTimestampIfPresent(forKey: .endsAt)
        usageLimit = try container.decodeIfPresent(Int.self, forKey: .usageLimit)
        usageLimitPerCustomer = try container.decodeIfPresent(Int.self, forKey: .usageLimitPerCustomer)
        timesUsed = try container.decodeIfPresent(Int.self, forKey: .timesUsed) ?? 0
        priority = try container.decodeIfPresent(Int.self, forKey: .priority) ?? 0
        stackable = try container.decodeIfPresent(Bool.self, forKey: .stackable) ?? true
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }

    /// Checks what the schema cannot: the ID and code, the discount, the limits, the dates.
    public func validate() throws {
        var errors = ValidationErrors()
        Code.check(id, at: "/id", into: &errors)
        if let code, code.isEmpty || code.count > 64 || code.contains(" ") {
            errors.add("/code", "invalid_code", "A promotion code is 1–64 characters without spaces.")
        }
        switch kind {
        case .percentage(let basisPoints) where !(1...10_000).contains(basisPoints):
            errors.add("/kind/basis_points", "out_of_range", "A percentage is between 1 and 10000 basis points.")
        case .fixed(let amount, _) where amount <= 0:
            errors.add("/kind/amount", "invalid_amount", "A fixed discount is a positive amount.")
        default: break
        }
        if let limit = usageLimit, limit < 1 { errors.add("/usage_limit", "out_of_range", "A usage limit is at least 1.") }
        if let limit = usageLimitPerCustomer, limit < 1 { errors.add("/usage_limit_per_customer", "out_of_range", "A usage limit is at least 1.") }
        if let minimum = minimumSubtotal, minimum < 0 { errors.add("/minimum_subtotal", "invalid_amount", "Amounts are not negative.") }
        if let startsAt, let endsAt, endsAt <= startsAt { errors.add("/ends_at", "invalid_range", "A promotion ends after it starts.") }
        try errors.throwIfAny()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(code, forKey: .code)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(target, forKey: .target)
        try container.encode(minimumSubtotal, forKey: .minimumSubtotal)
        try container.encodeTimestamp(startsAt, forKey: .startsAt)
        try container.encodeTimestamp(endsAt, forKey: .endsAt)
        try container.encode(usageLimit, forKey: .usageLimit)
        try container.encode(usageLimitPerCustomer, forKey: .usageLimitPerCustomer)
        try container.encode(timesUsed, forKey: .timesUsed)
        try container.encode(priority, forKey: .priority)
        try container.encode(stackable, forKey: .stackable)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
