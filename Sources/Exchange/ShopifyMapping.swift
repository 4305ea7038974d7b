import TorsoKit

/// How Shopify's product CSV becomes Torso products (docs/import.md, "Shopify's product CSV"):
/// the settings the import found or created, and the product JSON each Shopify product turns
/// into. `Handle` → slug, `Title` → `name`, `Body (HTML)` → `description`, `Vendor` → `brand`,
/// `Tags` → `tags`, `SEO Title`/`SEO Description` → `seo_title`/`seo_description`, options →
/// select attributes and variant axes, `Variant Grams` → `weight`, `Variant Barcode` →
/// `barcode`, `Variant Price` → price (or, with a higher `Variant Compare At Price`, the
/// compare-at price is the price and `Variant Price` goes to a sale price list), `Variant
/// Inventory Qty` → stock at one location, images → media.
public struct ShopifyMapping: Codable, Sendable, Equatable {
    /// The locale texts are written in.
    public var locale: String
    /// The currency of the prices.
    public var currency: String
    /// Where `Variant Inventory Qty` goes; `nil` drops it.
    public var location: String?
    /// The product type per Shopify type and option names (``typeKey(_:)``).
    public var productTypes: [String: String] = [:]
    /// The select attribute per option name.
    public var optionAttributes: [String: String] = [:]
    /// The attributes each product type takes (values for others are left out).
    public var typeAttributes: [String: Set<String>] = [:]
    /// The attributes that are localizable.
    public var localizable: Set<String> = []
    /// The code of the sale price list compare-at prices put `Variant Price` in.
    public var saleList: String

    /// A mapping for texts in `locale`, prices in `currency` and stock at `location`.
    public init(locale: String, currency: String, location: String?) {
        self.locale = locale
        self.currency = currency
        self.location = location
        saleList = "shopify-sale-" + currency.lowercased()
    }

    /// The product-level attributes Shopify's columns fill, with the column and the type each
    /// is created with when missing.
    public static let productAttributes: [(code: String, column: String, type: String, localizable: Bool)] = [
        ("name", "Title", "text", true), ("description", "Body (HTML)", "rich_text", true), ("brand", "Vendor", "text", false),
        ("tags", "Tags", "multi_select", false), ("seo_title", "SEO Title", "text", true), ("seo_description", "SEO Description", "textarea", true),
    ]

    /// What tells product types apart: the Shopify type and the option names.
    public static func typeKey(_ product: ShopifyProduct) -> String {
        ([product.field("Type")] + product.optionNames.map(code)).joined(separator: "|")
    }

    /// A Torso code for a Shopify name or value: lower case, `-` for anything else, at most 64.
    /// Accents are dropped (`Köln` → `koln`); letters of other scripts are kept as their code
    /// points (`黒` → `u9ed2`), so that different names stay different codes.
    public static func code(_ text: String) -> String {
        var result = ""
        for scalar in text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" {
                result.unicodeScalars.append(scalar)
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if !result.isEmpty, !result.hasSuffix("-") { result += "-" }
                result += "u" + String(scalar.value, radix: 16)
            } else if !result.isEmpty, !result.hasSuffix("-") {
                result += "-"
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        if result.hasPrefix("_") { result = "x" + result }
        return result.isEmpty ? "x" : String(result.prefix(64))
    }

    /// The codes of a product's `Tags`, each once, in the file's order.
    public static func tagCodes(_ text: String) -> [String] {
        var seen = Set<String>()
        return text.split(separator: ",").map { code(String($0)) }.filter { $0 != "x" && seen.insert($0).inserted }
    }

    /// The variant's SKU; Shopify allows none, Torso needs one: the handle with the options.
    public static func sku(_ variant: ShopifyProduct.Variant, of product: ShopifyProduct) -> String {
        if !variant.sku.isEmpty { return variant.sku }
        let options = variant.options.filter { !$0.isEmpty && $0 != "Default Title" }.map(code)
        return ([product.handle] + options).joined(separator: "-")
    }
}
