/// Why an entered code gives no discount, with a stable reason code.
public struct PromotionRejection: Sendable, Hashable, Codable {
    /// The stable reasons.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        /// No promotion has the code.
        case promotionNotFound = "promotion_not_found"
        /// The promotion has ended.
        case promotionExpired = "promotion_expired"
        /// The promotion has not started.
        case promotionNotStarted = "promotion_not_started"
        /// The cart subtotal is below the promotion's minimum.
        case minimumNotMet = "minimum_not_met"
        /// The promotion's total or per-customer usage limit is reached.
        case usageLimitReached = "usage_limit_reached"
        /// Nothing in the cart qualifies (no targeted line, another currency, nothing left to discount).
        case notApplicable = "not_applicable"
        /// Valid, but the stacking rule chose other promotions that give more.
        case notCombinable = "not_combinable"
    }

    /// The code as entered.
    public var code: String
    /// Why it does not apply.
    public var reason: Reason

    /// Creates a rejection.
    public init(code: String, reason: Reason) {
        self.code = code
        self.reason = reason
    }
}
