import Foundation
import TorsoKit

/// A discount rule: automatic (no code) or entered as a code, limited in time, usage and
/// minimum subtotal. See ``PromotionEvaluator`` for how promotions combine.
public struct Promotion: Sendable, Hashable, Codable {
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
        case id, code, name, kind, target, priority, stackable
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
    }
}
