/// The stable error codes Catalog declares (attributes, product types, categories, products and their values): the `code` of problems and of field
/// errors its rules produce. Each code is declared by one module; a module's sources use only
/// its own codes and those of the modules it depends on, and docs/api.md lists them all (a test
/// holds both).
public enum CatalogErrorCodes {
    /// Every code of this module.
    public static let all: Set<String> = [
        "attribute_not_in_product_type",
        "channel_not_allowed",
        "channel_required",
        "currency_not_in_channel",
        "cycle",
        "decimals_not_allowed",
        "duplicate_axis_combination",
        "duplicate_sku",
        "duplicate_value",
        "immutable_field",
        "invalid_axis",
        "invalid_pattern",
        "invalid_slug",
        "invalid_unit",
        "locale_not_allowed",
        "locale_required",
        "not_allowed",
        "pattern_mismatch",
        "unknown_attribute",
        "unknown_axis",
        "unknown_category",
        "unknown_option",
        "unknown_product_type",
    ]
}
