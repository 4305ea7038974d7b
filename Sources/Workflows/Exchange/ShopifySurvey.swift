import Exchange
import Foundation
import TorsoKit

/// A first pass over a Shopify file: what settings its products need (product types by type
/// and options, option values, tags, the columns it fills) and its sale prices. Streams the file;
/// keeps only the distinct names and the sale entries.
struct ShopifySurvey {
    /// The options names per product type key (``ShopifyMapping/typeKey(_:)``), and the type.
    var types: [String: (type: String, options: [String])] = [:]
    /// Per option name: its values by code, with the first spelling as the label.
    var options: [String: [String: String]] = [:]
    /// Tags by code, with the first spelling as the label.
    var tags: [String: String] = [:]
    /// The columns some product fills.
    var filled: Set<String> = []
    /// Sale prices (`Variant Price` below `Variant Compare At Price`), by SKU.
    var sales: [ShopifyMapping.SaleEntry] = []
    /// Every SKU in the file (a sale that ended is one no longer in `sales`).
    var skus: Set<String> = []

    /// Reads the file at `path`; throws for a file that is not Shopify's CSV at all.
    static func read(_ path: String, currency: String) throws -> ShopifySurvey {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ExchangeError(code: "not_found", line: 0, detail: "The file of this import is gone from the server.")
        }
        defer { try? handle.close() }
        var csv = CSVReader()
        var reader: ShopifyProductReader?
        var survey = ShopifySurvey()
        let pricing = ShopifyMapping(locale: "", currency: currency, location: nil)
        func take(_ records: [CSVReader.Record]) throws {
            for record in records {
                guard reader != nil else { reader = try ShopifyProductReader(header: record); continue }
                if let product = reader!.read(record) { survey.add(product, pricing: pricing) }
            }
        }
        while true {
            let chunk = try handle.read(upToCount: 1 << 18) ?? Data()
            if chunk.isEmpty { break }
            try take(try csv.read(chunk))
        }
        try take(try csv.finish())
        if let last = reader?.finish() { survey.add(last, pricing: pricing) }
        return survey
    }

    mutating func add(_ product: ShopifyProduct, pricing: ShopifyMapping) {
        let names = product.optionNames
        types[ShopifyMapping.typeKey(product)] = (product.field("Type"), names)
        for (index, name) in names.enumerated() {
            for variant in product.variants where index < variant.options.count && !variant.options[index].isEmpty {
                let value = variant.options[index]
                if options[name, default: [:]][ShopifyMapping.code(value)] == nil { options[name, default: [:]][ShopifyMapping.code(value)] = value }
            }
        }
        for tag in product.field("Tags").split(separator: ",") {
            let label = tag.trimmingWhitespace()
            let code = ShopifyMapping.code(label)
            if !label.isEmpty, code != "x", tags[code] == nil { tags[code] = label }
        }
        for column in ShopifyProduct.productColumns where !product.field(column).isEmpty { filled.insert(column) }
        if product.variants.contains(where: { Double($0.grams).map { $0 > 0 } ?? false }) { filled.insert("Variant Grams") }
        if product.variants.contains(where: { !$0.barcode.isEmpty }) { filled.insert("Variant Barcode") }
        sales += pricing.sales(product)
        for variant in product.variants { skus.insert(ShopifyMapping.sku(variant, of: product)) }
    }
}
