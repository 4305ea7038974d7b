/// The stable error codes Workflows declares (use cases that span modules (publishing, checkout, customers, webhooks)): the `code` of problems and of field
/// errors its rules produce. Each code is declared by one module; a module's sources use only
/// its own codes and those of the modules it depends on, and docs/api.md lists them all (a test
/// holds both).
public enum WorkflowsErrorCodes {
    /// Every code of this module.
    public static let all: Set<String> = [
        "busy",
        "cart_full",
        "cart_handed_off",
        "cart_incomplete",
        "cart_not_open",
        "cart_of_another_customer",
        "cart_token_required",
        "checkout_in_progress",
        "customer_token_required",
        "duplicate_slug",
        "handoff_claimed",
        "handoff_expired",
        "handoff_not_allowed",
        "handoff_not_found",
        "has_children",
        "hold_limit_reached",
        "idempotency_key_reused",
        "in_use",
        "incomplete",
        "invalid_cart_token",
        "invalid_credentials",
        "not_deletable",
        "payment_failed",
        "product_exists",
        "provider_not_enabled",
        "shipping_method_unavailable",
        "shipping_unavailable",
        "too_many_addresses",
        "unknown_provider",
        "variant_not_found",
        "variant_unavailable",
        "version_ambiguous",
    ]
}
