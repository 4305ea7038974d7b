/// The stable error codes Workflows declares (use cases that span modules (publishing, checkout, customers, webhooks)): the `code` of problems and of field
/// errors its rules produce. Each code is declared by one module; a module's sources use only
/// its own codes and those of the modules it depends on, and docs/api.md lists them all (a test
/// holds both).
public enum WorkflowsErrorCodes {
    /// Every code of this module.
    public static let all: Set<String> = [
        "busy",
        "cart_full",
        "cart_incomplete",
        "cart_not_open",
        "checkout_in_progress",
        "duplicate_slug",
        "has_children",
        "idempotency_key_reused",
        "in_use",
        "incomplete",
        "invalid_credentials",
        "not_deletable",
        "payment_failed",
        "shipping_method_unavailable",
        "provider_not_enabled",
        "shipping_unavailable",
        "too_many_addresses",
        "unknown_provider",
        "variant_not_found",
        "variant_unavailable",
        "version_ambiguous",
    ]
}
