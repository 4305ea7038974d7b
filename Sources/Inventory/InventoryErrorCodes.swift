/// The stable error codes Inventory declares (stock and holds): the `code` of problems and of field
/// errors its rules produce. Each code is declared by one module; a module's sources use only
/// its own codes and those of the modules it depends on, and docs/api.md lists them all (a test
/// holds both).
public enum InventoryErrorCodes {
    /// Every code of this module.
    public static let all: Set<String> = [
        "insufficient_stock",
        "negative_stock",
        "same_location",
        "stock_managed_by_inventory",
        "variant_has_stock",
        "too_many_rows",
        "unknown_sku",
        "unknown_store",
        "unknown_variant",
    ]
}
