import TorsoKit

/// Applies a draft to the stored product (as the admin API shows it) or to nothing: the
/// product JSON to save. Only what the file carries changes: a cell replaces the value of its
/// attribute, locale and channel; a variant row changes the variant with its SKU (or adds
/// one); prices replace the price of their currency and channel. Stock is not in it: it goes
/// through inventory adjustments.
public enum DraftApplier {
    /// The product to save, or the problems that keep it from being saved.
    public static func apply(_ draft: ProductDraft, to base: JSONValue?, categories: [String]?,
                             schema: ImportSchema) -> (product: JSONValue?, errors: [ExchangeError]) {
        if let document = draft.document {
            // NDJSON: the admin API's product JSON, merged over the stored one member by member.
            guard case .object(var members) = document else {
                return (nil, [ExchangeError(code: "invalid_type", line: draft.line, detail: "Each line is one product: a JSON object.")])
            }
            if case .array(let variants)? = members["variants"] {
                members["variants"] = .array(variants.map { variant in
                    guard case .object(var object) = variant else { return variant }
                    object["stock"] = nil
                    return .object(object)
                })
            }
            var product = base?.objectValue ?? [:]
            if draft.mergesValues, case .object(let values)? = members["values"] {
                members["values"] = .object(DraftApplier.mergedValues(values, into: product["values"]?.objectValue ?? [:]))
            }
            for (name, value) in members where !["version", "created_at", "updated_at"].contains(name) { product[name] = value }
            if base != nil { product["id"] = base?["id"] }
            return (.object(product), [])
        }
        var errors = draft.errors
        var product = base?.objectValue ?? [:]
        let type = draft.productType ?? product["product_type"]?.stringValue
        guard let type else {
            return (nil, errors + [ExchangeError(code: "required", line: draft.line, column: "product_type",
                                                 detail: "A new product needs a product_type.")])
        }
        product["product_type"] = .string(type)
        if !draft.slugs.isEmpty {
            var slugs = product["slug"]?.objectValue ?? [:]
            for (locale, slug) in draft.slugs { slugs[locale] = .string(slug) }
            product["slug"] = .object(slugs)
        }
        if let categories { product["categories"] = .array(categories.map(JSONValue.string)) }
        if draft.media != nil || !draft.mediaAlt.isEmpty {
            let (media, problems) = Self.media(draft, stored: product["media"]?.arrayValue ?? [])
            product["media"] = media
            errors += problems
        }
        let perVariant = schema.variantLevel[type] ?? []
        let axes = schema.axes[type] ?? []
        var values = product["values"]?.objectValue ?? [:]
        var variants = product["variants"]?.arrayValue ?? []
        for (index, row) in draft.rows.enumerated() {
            var variantIndex = variants.firstIndex { $0["sku"]?.stringValue == row.sku }
            if variantIndex == nil {
                variants.append(.object(["sku": .string(row.sku), "axes": .object([:]), "prices": .array([])]))
                variantIndex = variants.count - 1
            }
            var variant = variants[variantIndex!].objectValue ?? [:]
            var variantValues = variant["values"]?.objectValue ?? [:]
            var variantAxes = variant["axes"]?.objectValue ?? [:]
            for cell in row.cells {
                guard let attributeType = schema.attributes[cell.code] else {
                    errors.append(ExchangeError(code: "unknown_attribute", line: row.line, column: cell.column,
                                                detail: "There is no attribute '\(cell.code)'."))
                    continue
                }
                guard let data = CellValue.parse(cell.text, as: attributeType) else {
                    errors.append(ExchangeError(code: "invalid_value", line: row.line, column: cell.column,
                                                detail: "'\(cell.text)' is not a \(attributeType.rawValue) value."))
                    continue
                }
                if axes.contains(cell.code) {
                    variantAxes[cell.code] = .string(CellValue.text(data))
                } else if perVariant.contains(cell.code) {
                    variantValues[cell.code] = set(variantValues[cell.code], cell, data)
                } else if index == 0 || values[cell.code] == nil {
                    // The product's own values come from its first row; later rows may repeat them.
                    values[cell.code] = set(values[cell.code], cell, data)
                }
            }
            var prices = variant["prices"]?.arrayValue ?? []
            for cell in row.prices {
                guard let amount = MinorUnits.amount(cell.text, currency: cell.currency) else {
                    errors.append(ExchangeError(code: "invalid_price", line: row.line, column: cell.column,
                                                detail: "'\(cell.text)' is not an amount in \(cell.currency) (such as 19.99)."))
                    continue
                }
                var price: [String: JSONValue] = ["amount": .number(Double(amount)), "currency": .string(cell.currency)]
                if let channel = cell.channel { price["channel"] = .string(channel) }
                if let index = prices.firstIndex(where: { $0["currency"]?.stringValue == cell.currency && $0["channel"]?.stringValue == cell.channel }) {
                    prices[index] = .object(price)
                } else {
                    prices.append(.object(price))
                }
            }
            variant["prices"] = .array(prices)
            variant["axes"] = .object(variantAxes)
            if !variantValues.isEmpty { variant["values"] = .object(variantValues) }
            variant["stock"] = nil
            variants[variantIndex!] = .object(variant)
        }
        for cell in draft.stock where !schema.locations.contains(cell.location) {
            errors.append(ExchangeError(code: "unknown_location", line: cell.line, column: "stock-" + cell.location,
                                        detail: "There is no stock location '\(cell.location)'."))
        }
        guard errors.isEmpty else { return (nil, errors) }
        product["values"] = .object(values)
        product["variants"] = .array(variants.map { variant in
            guard case .object(var object) = variant else { return variant }
            object["stock"] = nil
            return .object(object)
        })
        return (.object(product), [])
    }

    /// An attribute's values with the cell's locale and channel set to `data`.
    static func set(_ current: JSONValue?, _ cell: ProductDraft.Cell, _ data: JSONValue) -> JSONValue {
        var entries = current?.arrayValue ?? []
        var entry: [String: JSONValue] = ["data": data]
        if let locale = cell.locale { entry["locale"] = .string(locale) }
        if let channel = cell.channel { entry["channel"] = .string(channel) }
        // In place: the values keep their order, so a file that changes nothing changes nothing.
        if let index = entries.firstIndex(where: { $0["locale"]?.stringValue == cell.locale && $0["channel"]?.stringValue == cell.channel }) {
            if case .object(var existing) = entries[index] {
                // Cells are trimmed: a stored text with spaces around it is the same text, kept as it is.
                if case .string(let stored)? = existing["data"], case .string(let text) = data, stored.trimmingWhitespace() == text { return .array(entries) }
                existing["data"] = data
                entries[index] = .object(existing)
            } else {
                entries[index] = .object(entry)
            }
        } else {
            entries.append(.object(entry))
        }
        return .array(entries)
    }
}

extension JSONValue {
    /// An object's member.
    subscript(name: String) -> JSONValue? { objectValue?[name] }
}

extension DraftApplier {
    /// `values` over `stored`: each value replaces the stored one of its attribute, locale and
    /// channel; the stored values of other locales, channels and attributes stay.
    static func mergedValues(_ values: [String: JSONValue], into stored: [String: JSONValue]) -> [String: JSONValue] {
        var merged = stored
        for (code, entries) in values {
            var kept = stored[code]?.arrayValue ?? []
            for entry in entries.arrayValue ?? [] {
                // A member left out is null, as stored values spell it; a value keeps its place.
                let same = { (stored: JSONValue) in
                    (stored["locale"] ?? .null) == (entry["locale"] ?? .null) && (stored["channel"] ?? .null) == (entry["channel"] ?? .null)
                }
                if let index = kept.firstIndex(where: same) { kept[index] = entry } else { kept.append(entry) }
            }
            merged[code] = .array(kept)
        }
        return merged
    }
}
