import Catalog
import Commerce
import Exchange
import Foundation
import Inventory
import TorsoKit

/// The settings a Shopify file needs, found or created before its products go in: the
/// attributes its columns fill, a select attribute per option name (with every value as an
/// option), and a product type per Shopify type and option names; and, at the end, the sale
/// price list its compare-at prices make. Each created or extended setting is named in the
/// job's report.
public struct ShopifySetup: Sendable {
    let attributes: ResourceService<AttributePolicy>
    let productTypes: ResourceService<ProductTypePolicy>
    let priceLists: ResourceService<PriceListPolicy>

    /// Creates the setup over the settings' services.
    public init(attributes: ResourceService<AttributePolicy>, productTypes: ResourceService<ProductTypePolicy>,
                priceLists: ResourceService<PriceListPolicy>) {
        self.attributes = attributes
        self.productTypes = productTypes
        self.priceLists = priceLists
    }

    /// Settles the mapping for `survey`, creating what is missing; answers it with what changed.
    func settle(_ survey: ShopifySurvey, mapping start: ShopifyMapping, context: WriteContext) async throws -> (ShopifyMapping, [String]) {
        var mapping = start
        var report: [String] = []
        var known = Dictionary(uniqueKeysWithValues: try await attributes.list(PageRequest(limit: 10_000, cursor: nil)).data.map { ($0.code, $0) })
        /// The attribute `code` of `type` with `options`, created or extended; `nil` if one of another type is in the way.
        func ensure(_ code: String, type: String, localizable: Bool, options: [String: String] = [:], label: String? = nil) async throws -> String? {
            if let existing = known[code] {
                guard existing.type.rawValue == type || (["text", "textarea", "rich_text"].contains(type)
                                                          && [.text, .textarea, .richText].contains(existing.type)) else {
                    report.append("attribute \(code) left out: it is a \(existing.type.rawValue), not a \(type)")
                    return nil
                }
                let missing = options.keys.sorted().filter { existing.option($0) == nil }
                if !missing.isEmpty {
                    let all = try existing.options.map { try JSONCoding.tree($0) }
                        + missing.map { JSONValue.object(["code": .string($0), "labels": .object([mapping.locale: .string(options[$0]!)])]) }
                    known[code] = try await attributes.update(code, patch: .object(["options": .array(all)]), expectedVersion: nil, context: context)
                    report.append("attribute \(code): \(missing.count) options added")
                }
                return code
            }
            var body: [String: JSONValue] = ["code": .string(code), "type": .string(type), "localizable": .bool(localizable)]
            if let label { body["labels"] = .object([mapping.locale: .string(label)]) }
            if !options.isEmpty {
                body["options"] = .array(options.keys.sorted().map { JSONValue.object(["code": .string($0), "labels": .object([mapping.locale: .string(options[$0]!)])]) })
            }
            if type == "metric" { body["units"] = .array(["GRAM", "KILOGRAM"].map(JSONValue.string)) }
            _ = try await attributes.create(.object(body), context: context)
            known[code] = try await attributes.get(code)
            report.append("attribute \(code) created (\(type))")
            return code
        }
        var product: [String] = []
        for attribute in ShopifyMapping.productAttributes where survey.filled.contains(attribute.column) {
            if let code = try await ensure(attribute.code, type: attribute.type, localizable: attribute.localizable,
                                           options: attribute.code == "tags" ? survey.tags : [:]) { product.append(code) }
        }
        var variant: [String] = []
        if survey.filled.contains("Variant Grams"), let code = try await ensure("weight", type: "metric", localizable: false) { variant.append(code) }
        if survey.filled.contains("Variant Barcode"), let code = try await ensure("barcode", type: "text", localizable: false) { variant.append(code) }
        for (name, values) in survey.options.sorted(by: { $0.key < $1.key }) {
            var code = ShopifyMapping.code(name)
            if let existing = known[code], existing.type != .select { code += "-option" }
            if let ensured = try await ensure(code, type: "select", localizable: false, options: values, label: name) { mapping.optionAttributes[name] = ensured }
        }
        mapping.localizable = Set(known.values.filter(\.localizable).map(\.code))
        try await settleTypes(survey, product: product, variant: variant, mapping: &mapping, report: &report, context: context)
        return (mapping, report)
    }

    /// A product type per Shopify type and option names: the type's code, suffixed with the
    /// options where one type has several sets of them or a stored type has other axes.
    func settleTypes(_ survey: ShopifySurvey, product: [String], variant: [String], mapping: inout ShopifyMapping,
                     report: inout [String], context: WriteContext) async throws {
        var stored = Dictionary(uniqueKeysWithValues: try await productTypes.list(PageRequest(limit: 10_000, cursor: nil)).data.map { ($0.code, $0) })
        let perType = Dictionary(grouping: survey.types.values, by: { ShopifyMapping.code($0.type.isEmpty ? "shopify-product" : $0.type) })
        for (key, entry) in survey.types.sorted(by: { $0.key < $1.key }) {
            let axes = entry.options.compactMap { mapping.optionAttributes[$0] }
            var code = ShopifyMapping.code(entry.type.isEmpty ? "shopify-product" : entry.type)
            if (perType[code]?.count ?? 0) > 1 || (stored[code].map { $0.variantAxes != axes } ?? false) {
                code = String(([code] + axes).joined(separator: "-").prefix(64))
            }
            if let existing = stored[code] {
                guard existing.variantAxes == axes else {
                    report.append("product type \(code) has other variant axes; products of type '\(entry.type)' with options \(entry.options) are refused")
                    mapping.productTypes[key] = code
                    mapping.typeAttributes[code] = existing.allAttributes
                    continue
                }
                let missing = product.filter { !existing.allAttributes.contains($0) }
                let missingVariant = variant.filter { !existing.allAttributes.contains($0) }
                if !missing.isEmpty || !missingVariant.isEmpty {
                    stored[code] = try await productTypes.update(code, patch: .object([
                        "attributes": .array((existing.attributes + missing).map(JSONValue.string)),
                        "variant_attributes": .array((existing.variantAttributes + missingVariant).map(JSONValue.string)),
                    ]), expectedVersion: nil, context: context)
                    report.append("product type \(code): attributes \((missing + missingVariant).joined(separator: ", ")) added")
                }
            } else {
                _ = try await productTypes.create(.object([
                    "code": .string(code), "labels": .object([mapping.locale: .string(entry.type.isEmpty ? "Shopify product" : entry.type)]),
                    "attributes": .array(product.map(JSONValue.string)), "variant_attributes": .array(variant.map(JSONValue.string)),
                    "variant_axes": .array(axes.map(JSONValue.string)),
                ]), context: context)
                stored[code] = try await productTypes.get(code)
                report.append("product type \(code) created" + (axes.isEmpty ? "" : " (axes \(axes.joined(separator: ", ")))"))
            }
            mapping.productTypes[key] = code
            mapping.typeAttributes[code] = stored[code]!.allAttributes
        }
    }
}
