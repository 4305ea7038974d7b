import TorsoKit

/// One product as a file describes it, before it meets the database: the product's own fields
/// from its first row, and one ``Row`` per variant. Only what the file carries is here; the
/// import applies it to the stored product, if there is one, so the columns left out keep
/// their values.
public struct ProductDraft: Sendable {
    /// A cell of an attribute, as text, and where it came from.
    public struct Cell: Sendable, Equatable {
        /// The attribute.
        public var code: String
        /// Its locale, for a localizable value.
        public var locale: String?
        /// Its channel, for a scopable value.
        public var channel: String?
        /// The text of the cell.
        public var text: String
        /// The column's header.
        public var column: String
    }

    /// A price cell: an amount in major units.
    public struct PriceCell: Sendable, Equatable {
        /// The currency.
        public var currency: String
        /// The channel, for a channel's own price.
        public var channel: String?
        /// The text of the cell (`19.99`).
        public var text: String
        /// The column's header.
        public var column: String
    }

    /// Units on hand at a location.
    public struct StockCell: Sendable, Equatable {
        /// The variant's SKU.
        public var sku: String
        /// The location's code.
        public var location: String
        /// The units on hand.
        public var onHand: Int
        /// The file's line.
        public var line: Int

        /// Creates a cell.
        public init(sku: String, location: String, onHand: Int, line: Int) {
            self.sku = sku
            self.location = location
            self.onHand = onHand
            self.line = line
        }
    }

    /// One variant's row.
    public struct Row: Sendable {
        /// The file's line.
        public var line: Int
        /// The SKU.
        public var sku: String
        /// Attribute cells of the row (the product's own are read from the first row only).
        public var cells: [Cell]
        /// Prices.
        public var prices: [PriceCell]
    }

    /// The first line of the product in the file.
    public var line: Int
    /// The product's ID, to update it.
    public var id: String?
    /// The product type's code, if the file names it.
    public var productType: String?
    /// Slugs by locale.
    public var slugs: [String: String] = [:]
    /// Categories by ID or slug, if the file has the column.
    public var categories: [String]?
    /// Media URLs in display order, if the file gives them.
    public var media: [String]?
    /// Alternative texts of the media by locale, in the same order.
    public var mediaAlt: [String: [String]] = [:]
    /// The variants' rows.
    public var rows: [Row] = []
    /// Units on hand, applied through inventory adjustments after the product is saved.
    public var stock: [StockCell] = []
    /// A whole product from an NDJSON line (the admin API's product JSON), instead of cells.
    public var document: JSONValue?
    /// Problems found while reading it; a product with any is not imported.
    public var errors: [ExchangeError] = []
    /// Whether the document's `values` are merged into the stored ones attribute by attribute,
    /// locale by locale (Shopify's CSV, which has one locale), rather than replacing them.
    public var mergesValues = false
    /// Whether the product may be published at the end of the job (`false` for Shopify's draft
    /// and archived products); `nil` when the file does not say.
    public var publishable: Bool?

    /// An empty draft starting at `line`.
    public init(line: Int) { self.line = line }

    /// The SKUs the file gives the product.
    public var skus: [String] {
        if let variants = document?["variants"]?.arrayValue { return variants.compactMap { $0["sku"]?.stringValue } }
        return rows.map(\.sku)
    }

    /// How many variant rows (or variants) it stands for.
    public var variantCount: Int { max(1, document?["variants"]?.arrayValue?.count ?? rows.count) }
}
