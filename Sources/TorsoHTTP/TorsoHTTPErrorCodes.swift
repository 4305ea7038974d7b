/// The stable error codes TorsoHTTP declares (requests, keys and routes): the `code` of problems and of field
/// errors its rules produce. Each code is declared by one module; a module's sources use only
/// its own codes and those of the modules it depends on, and docs/api.md lists them all (a test
/// holds both).
public enum TorsoHTTPErrorCodes {
    /// Every code of this module.
    public static let all: Set<String> = [
        "bad_request",
        "body_too_large",
        "csrf_refused",
        "empty_body",
        "internal_error",
        "invalid_customer_token",
        "invalid_idempotency_key",
        "invalid_if_match",
        "invalid_key",
        "invalid_last_event_id",
        "method_not_allowed",
        "publishable_key_required",
        "rate_limited",
        "repeated_parameter",
        "route_not_found",
        "too_many_streams",
        "unauthenticated",
        "unknown_parameter",
        "unknown_scope",
    ]
}
