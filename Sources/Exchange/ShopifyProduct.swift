import TorsoKit

/// One product of Shopify's product CSV: its rows, grouped by `Handle`. The first row carries
/// the product's fields (`Title`, `Body (HTML)`, `Vendor`…) and usually its first variant;
/// continuation rows carry more variants (options, SKU, price…) and images; an image-only row
/// has nothing but `Image Src` (with its position and alt text).
public struct ShopifyProduct: Sendable {
    /// A variant row.
    public struct Variant: Sendable, Equatable {
        /// The file's line.
        public var line: Int
        /// `Variant SKU`.
        public var sku: String
        /// `Option1–3 Value`, as many as the product has option names.
        public var options: [String]
        /// `Variant Grams`.
        public var grams: String
        /// `Variant Weight Unit` (`kg`, `g`, `lb`, `oz`): how Shopify showed the weight.
        public var weightUnit: String
        /// `Variant Inventory Qty`.
        public var quantity: String
        /// `Variant Price`.
        public var price: String
        /// `Variant Compare At Price`.
        public var compareAt: String
        /// `Variant Barcode`.
        public var barcode: String
    }

    /// An image row's image.
    public struct Image: Sendable, Equatable {
        /// `Image Src`.
        public var src: String
        /// `Image Position` (the order on the product), if given.
        public var position: Int?
        /// `Image Alt Text`.
        public var alt: String
    }

    /// The first line of the product.
    public var line: Int
    /// `Handle`: the slug, and what groups the rows.
    public var handle: String
    /// The product's own columns, from the rows that give them (first value wins).
    public var fields: [String: String] = [:]
    /// Variant rows, in file order.
    public var variants: [Variant] = []
    /// Images, in file order.
    public var images: [Image] = []

    /// The product columns Shopify gives on the first row only.
    public static let productColumns = ["Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
                                        "Option1 Name", "Option2 Name", "Option3 Name", "SEO Title", "SEO Description", "Status"]

    /// A product's field, trimmed; empty if the file does not give it.
    public func field(_ name: String) -> String { fields[name] ?? "" }

    /// The option names (`Option1–3 Name`), without `Title` of `Default Title` products: such a
    /// product has one variant and no axes.
    public var optionNames: [String] {
        let names = ["Option1 Name", "Option2 Name", "Option3 Name"].map(field).filter { !$0.isEmpty }
        if names == ["Title"], variants.allSatisfy({ $0.options.first.map { $0.isEmpty || $0 == "Default Title" } ?? true }) { return [] }
        return names
    }

    /// `Status` (`active`, `draft`, `archived`), or from `Published` in older exports.
    public var isActive: Bool {
        let status = field("Status").lowercased()
        if !status.isEmpty { return status == "active" }
        return field("Published").lowercased() != "false"
    }
}

/// Groups the records of Shopify's product CSV into products: consecutive rows with the same
/// `Handle` are one product.
public struct ShopifyProductReader: Sendable {
    let index: [String: Int]
    var current: ShopifyProduct?
    /// Columns Torso does not read.
    public let ignoredColumns: [String]

    /// The columns read.
    public static let columns = Set(ShopifyProduct.productColumns + [
        "Handle", "Option1 Value", "Option2 Value", "Option3 Value", "Variant SKU", "Variant Grams", "Variant Inventory Qty",
        "Variant Price", "Variant Compare At Price", "Variant Barcode", "Image Src", "Image Position", "Image Alt Text",
        "Variant Weight Unit",
    ])

    /// A reader for a file with `header`; throws if it has no `Handle` column.
    public init(header: CSVReader.Record) throws {
        let names = header.fields.map { $0.trimmingWhitespace() }
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        guard index["Handle"] != nil else {
            throw ExchangeError(code: "missing_column", line: header.line, column: "Handle",
                                detail: "Shopify's product CSV has a 'Handle' column; this file has none.")
        }
        self.index = index
        ignoredColumns = names.filter { !$0.isEmpty && !Self.columns.contains($0) }
    }

    /// The product a record completes, if the record starts the next one.
    public mutating func read(_ record: CSVReader.Record) -> ShopifyProduct? {
        func cell(_ name: String) -> String {
            guard let position = index[name], position < record.fields.count else { return "" }
            return record.fields[position].trimmingWhitespace()
        }
        let handle = cell("Handle")
        guard !handle.isEmpty || record.fields.contains(where: { !$0.isEmpty }) else { return nil }
        var done: ShopifyProduct?
        if current == nil || current!.handle != handle {
            done = current
            current = ShopifyProduct(line: record.line, handle: handle)
        }
        for name in ShopifyProduct.productColumns where current!.fields[name] == nil {
            let text = cell(name)
            if !text.isEmpty { current!.fields[name] = text }
        }
        let options = ["Option1 Value", "Option2 Value", "Option3 Value"].map(cell)
        if !cell("Variant SKU").isEmpty || !cell("Variant Price").isEmpty || options.contains(where: { !$0.isEmpty }) {
            current!.variants.append(.init(line: record.line, sku: cell("Variant SKU"), options: options, grams: cell("Variant Grams"),
                                           weightUnit: cell("Variant Weight Unit"), quantity: cell("Variant Inventory Qty"),
                                           price: cell("Variant Price"), compareAt: cell("Variant Compare At Price"),
                                           barcode: cell("Variant Barcode")))
        }
        let src = cell("Image Src")
        if !src.isEmpty {
            current!.images.append(.init(src: src, position: Int(cell("Image Position")), alt: cell("Image Alt Text")))
        }
        return done
    }

    /// The last product.
    public mutating func finish() -> ShopifyProduct? {
        defer { current = nil }
        return current
    }
}
