import TorsoKit

extension ShopifyMapping {
    /// A sale price: `Variant Price` below its `Variant Compare At Price`.
    public struct SaleEntry: Sendable, Equatable {
        /// The variant's SKU.
        public var sku: String
        /// The sale amount in minor units.
        public var amount: Int64
    }

    /// The product JSON a Shopify product becomes (merged into the stored product, its values
    /// attribute by attribute), with its stock and the problems of its rows.
    public func draft(_ product: ShopifyProduct) -> ProductDraft {
        var draft = ProductDraft(line: product.line)
        draft.mergesValues = true
        draft.publishable = product.isActive
        if product.handle.isEmpty {
            draft.errors.append(ExchangeError(code: "required", line: product.line, column: "Handle", detail: "Every row needs a Handle."))
        } else if product.field("Title").isEmpty {
            // Shopify writes a product's rows one after another, the first with its Title: rows
            // of a handle after another product's are a fragment, not a product.
            draft.errors.append(ExchangeError(code: "invalid_value", line: product.line, column: "Handle",
                                              detail: "The rows of '\(product.handle)' are not together, or its first row has no Title: Shopify's CSV gives a product's rows one after another."))
        }
        let type = productTypes[Self.typeKey(product)] ?? Self.code(product.field("Type"))
        let allowed = typeAttributes[type] ?? []
        var values: [String: JSONValue] = [:]
        for attribute in Self.productAttributes where allowed.contains(attribute.code) {
            let text = product.field(attribute.column)
            guard !text.isEmpty else { continue }
            let data: JSONValue = attribute.code == "tags"
                ? .array(Self.tagCodes(text).map(JSONValue.string))
                : .string(text)
            values[attribute.code] = .array([value(data, localized: localizable.contains(attribute.code))])
        }
        let names = product.optionNames
        var variants: [JSONValue] = []
        for variant in product.variants {
            let sku = Self.sku(variant, of: product)
            var axes: [String: JSONValue] = [:]
            for (index, name) in names.enumerated() where index < variant.options.count {
                if let attribute = optionAttributes[name], !variant.options[index].isEmpty { axes[attribute] = .string(Self.code(variant.options[index])) }
            }
            var variantValues: [String: JSONValue] = [:]
            if allowed.contains("weight"), let grams = Double(variant.grams), grams.isFinite, grams > 0 {
                variantValues["weight"] = .array([.object(["data": .object(["amount": .number(grams), "unit": .string("GRAM")])])])
            }
            if allowed.contains("barcode"), !variant.barcode.isEmpty { variantValues["barcode"] = .array([.object(["data": .string(variant.barcode)])]) }
            var prices: [JSONValue] = []
            if let regular = self.regularPrice(variant, line: variant.line, errors: &draft.errors) {
                prices.append(.object(["amount": .number(Double(regular)), "currency": .string(currency)]))
            }
            variants.append(.object(["sku": .string(sku), "axes": .object(axes), "values": .object(variantValues), "prices": .array(prices)]))
            if let location, !variant.quantity.isEmpty {
                if let units = Int(variant.quantity) {
                    // Shopify counts oversold units below zero; Torso's first count is 0 or more,
                    // so an oversold variant comes in with none on hand.
                    draft.stock.append(.init(sku: sku, location: location, onHand: max(0, units), line: variant.line))
                } else {
                    draft.errors.append(ExchangeError(code: "invalid_value", line: variant.line, column: "Variant Inventory Qty",
                                                      detail: "'\(variant.quantity)' is not a count of units (0 or more)."))
                }
            }
        }
        let media = product.images.enumerated().sorted { ($0.element.position ?? Int.max, $0.offset) < ($1.element.position ?? Int.max, $1.offset) }
            .map { JSONValue.object(["url": .string($0.element.src), "alt": .object($0.element.alt.isEmpty ? [:] : [locale: .string($0.element.alt)])]) }
        draft.document = .object([
            "product_type": .string(type), "slug": .object([locale: .string(product.handle)]), "values": .object(values),
            "variants": .array(variants), "media": .array(media),
        ])
        return draft
    }

    /// The sale entries of a product: variants whose compare-at price is above their price.
    public func sales(_ product: ShopifyProduct) -> [SaleEntry] {
        product.variants.compactMap { variant in
            guard let price = MinorUnits.amount(variant.price, currency: currency),
                  let compareAt = MinorUnits.amount(variant.compareAt, currency: currency), compareAt > price else { return nil }
            return SaleEntry(sku: Self.sku(variant, of: product), amount: price)
        }
    }

    /// The variant's price: the compare-at price when it is higher (the sale goes to the sale
    /// list), else `Variant Price`.
    func regularPrice(_ variant: ShopifyProduct.Variant, line: Int, errors: inout [ExchangeError]) -> Int64? {
        guard !variant.price.isEmpty else { return nil }
        guard let price = MinorUnits.amount(variant.price, currency: currency) else {
            errors.append(ExchangeError(code: "invalid_price", line: line, column: "Variant Price",
                                        detail: "'\(variant.price)' is not an amount in \(currency)."))
            return nil
        }
        if !variant.compareAt.isEmpty {
            guard let compareAt = MinorUnits.amount(variant.compareAt, currency: currency) else {
                errors.append(ExchangeError(code: "invalid_price", line: line, column: "Variant Compare At Price",
                                            detail: "'\(variant.compareAt)' is not an amount in \(currency)."))
                return nil
            }
            if compareAt > price { return compareAt }
        }
        return price
    }

    func value(_ data: JSONValue, localized: Bool) -> JSONValue {
        localized ? .object(["locale": .string(locale), "data": data]) : .object(["data": data])
    }
}
