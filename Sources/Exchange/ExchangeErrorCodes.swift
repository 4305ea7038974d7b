/// The stable error codes Exchange declares (import files: their encoding, CSV structure and
/// cells). Each code is declared by one module; docs/api.md lists them all (a test holds both).
public enum ExchangeErrorCodes {
    /// Every code of this module.
    public static let all: Set<String> = [
        "duplicate_column",
        "invalid_encoding",
        "record_too_long",
        "invalid_json",
        "invalid_price",
        "missing_column",
        "too_many_fields",
        "unterminated_quote",
    ]
}
