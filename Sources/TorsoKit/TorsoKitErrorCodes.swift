/// The stable error codes TorsoKit declares (shared by several modules: body shapes, versions, money, addresses): the `code` of problems and of field
/// errors its rules produce. Each code is declared by one module; a module's sources use only
/// its own codes and those of the modules it depends on, and docs/api.md lists them all (a test
/// holds both).
public enum TorsoKitErrorCodes {
    /// Every code of this module.
    public static let all: Set<String> = [
        "duplicate",
        "duplicate_price",
        "invalid_code",
        "invalid_country",
        "invalid_date",
        "invalid_email",
        "invalid_quantity",
        "invalid_range",
        "invalid_reference",
        "invalid_sku",
        "invalid_type",
        "invalid_url",
        "invalid_value",
        "locale_not_in_channel",
        "malformed_json",
        "not_found",
        "out_of_range",
        "required",
        "too_long",
        "unknown_channel",
        "unknown_field",
        "unknown_locale",
        "unknown_location",
        "validation_failed",
        "version_mismatch",
    ]
}
