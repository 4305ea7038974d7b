/// The stable error codes Commerce declares (prices, tax, shipping, promotions, payments and orders): the `code` of problems and of field
/// errors its rules produce. Each code is declared by one module; a module's sources use only
/// its own codes and those of the modules it depends on, and docs/api.md lists them all (a test
/// holds both).
public enum CommerceErrorCodes {
    /// Every code of this module.
    public static let all: Set<String> = [
        "amount_overflow",
        "card_declined",
        "illegal_transition",
        "insufficient_funds",
        "invalid_amount",
        "invalid_card",
        "invalid_currency",
        "invalid_payment_operation",
        "invalid_tiers",
        "minimum_not_met",
        "not_applicable",
        "not_combinable",
        "payment_not_found",
        "processing_error",
        "promotion_expired",
        "promotion_not_found",
        "promotion_not_started",
        "too_many",
        "usage_limit_reached",
        "variant_or_sku_required",
    ]
}
