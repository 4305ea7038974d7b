import TorsoKit

/// Checks a whole product — slug, values, categories, media and variants — against its type
/// and the context, and reports every problem at once with JSON pointers.
public struct ProductValidator: Sendable {
    /// What the product is checked against.
    public let context: CatalogContext

    /// Creates a validator.
    public init(context: CatalogContext) { self.context = context }

    /// Throws ``DomainError/validation(_:)`` listing every problem; `knownCategories` are the
    /// IDs among the product's categories that exist.
    public func validate(_ product: Product, knownCategories: Set<ID<CategoryEntity>>) throws {
        var errors = ValidationErrors()
        guard let type = context.productTypes[product.productType] else {
            errors.add("/product_type", "unknown_product_type", "Product type '\(product.productType)' does not exist.")
            return try errors.throwIfAny()
        }
        if product.slug.isEmpty { errors.add("/slug", "required", "A product needs a slug in at least one locale.") }
        for locale in product.slug.locales {
            let pointer = "/slug/" + JSONValue.escapePointer(locale)
            if !context.locales.contains(locale) {
                errors.add(pointer, "unknown_locale", "Locale '\(locale)' does not exist.")
            } else if !Slug.isValid(product.slug[locale]!) {
                errors.add(pointer, "invalid_slug", Slug.rule)
            }
        }
        let values = ValueValidator(context: context)
        values.validate(product.values, allowed: Set(type.attributes), at: "/values", into: &errors)
        var seenCategories = Set<ID<CategoryEntity>>()
        for (index, category) in product.categories.enumerated() {
            if !knownCategories.contains(category) {
                errors.add("/categories/\(index)", "unknown_category", "Category '\(category)' does not exist.")
            }
            if !seenCategories.insert(category).inserted {
                errors.add("/categories/\(index)", "duplicate", "Category '\(category)' appears twice.")
            }
        }
        for (index, media) in product.media.enumerated() {
            if !WebURL.isValid(media.url) {
                errors.add("/media/\(index)/url", "invalid_url", "Expected an http or https URL.")
            }
            for locale in media.alt.locales where !context.locales.contains(locale) {
                errors.add("/media/\(index)/alt/\(locale)", "unknown_locale", "Locale '\(locale)' does not exist.")
            }
        }
        validateVariants(product.variants, type: type, values: values, into: &errors)
        try errors.throwIfAny()
    }

    private func validateVariants(_ variants: [Variant], type: ProductType, values: ValueValidator, into errors: inout ValidationErrors) {
        if !type.variantAxes.isEmpty, variants.isEmpty {
            errors.add("/variants", "required", "Product type '\(type.code)' has variant axes: give at least one variant.")
        }
        var skus = [String: Int]()
        var combinations = [String: Int]()
        var ids = Set<ID<VariantEntity>>()
        for (index, variant) in variants.enumerated() {
            let base = "/variants/\(index)"
            if !SKU.isValid(variant.sku) {
                errors.add(base + "/sku", "invalid_sku", SKU.rule)
            } else if let first = skus[variant.sku] {
                errors.add(base + "/sku", "duplicate_sku", "SKU '\(variant.sku)' is also used by variant \(first).")
            } else {
                skus[variant.sku] = index
            }
            if !ids.insert(variant.id).inserted {
                errors.add(base + "/id", "duplicate", "Two variants have the same ID.")
            }
            for axis in variant.axes.keys.sorted() where !type.variantAxes.contains(axis) {
                errors.add(base + "/axes/" + JSONValue.escapePointer(axis), "unknown_axis", "'\(axis)' is not a variant axis of '\(type.code)'.")
            }
            for axis in type.variantAxes {
                guard let option = variant.axes[axis] else {
                    errors.add(base + "/axes/" + axis, "required", "Every variant needs an option for axis '\(axis)'.")
                    continue
                }
                if let definition = context.attributes[axis], definition.option(option) == nil {
                    errors.add(base + "/axes/" + axis, "unknown_option", "'\(option)' is not an option of '\(axis)'.")
                }
            }
            if !type.variantAxes.isEmpty {
                let combination = type.variantAxes.map { variant.axes[$0] ?? "" }.joined(separator: "|")
                if let first = combinations[combination] {
                    errors.add(base + "/axes", "duplicate_axis_combination", "Variant \(first) has the same options.")
                } else {
                    combinations[combination] = index
                }
            }
            values.validate(variant.values, allowed: Set(type.variantAttributes), at: base + "/values", into: &errors)
            var priceKeys = Set<String>()
            for (priceIndex, price) in variant.prices.enumerated() {
                let pointer = "\(base)/prices/\(priceIndex)"
                if price.amount < 0 { errors.add(pointer + "/amount", "out_of_range", "A price cannot be negative.") }
                if let channel = price.channel {
                    if let facts = context.channels[channel] {
                        if !facts.currencies.contains(price.currency.code) {
                            errors.add(pointer + "/currency", "currency_not_in_channel", "Channel '\(channel)' does not sell in \(price.currency).")
                        }
                    } else {
                        errors.add(pointer + "/channel", "unknown_channel", "Channel '\(channel)' does not exist.")
                    }
                }
                if !priceKeys.insert("\(price.currency)|\(price.channel ?? "")").inserted {
                    errors.add(pointer, "duplicate_price", "There is already a price in \(price.currency) for this channel.")
                }
            }
            var locations = Set<String>()
            for (stockIndex, stock) in variant.stock.enumerated() {
                let pointer = "\(base)/stock/\(stockIndex)"
                if !context.locations.contains(stock.location) {
                    errors.add(pointer + "/location", "unknown_location", "Stock location '\(stock.location)' does not exist.")
                }
                // Below zero is a backordered variant's count as read; a first count is 0 or more.
                if !(-1_000_000_000...1_000_000_000).contains(stock.onHand) {
                    errors.add(pointer + "/on_hand", "out_of_range", "Stock on hand is between -1000000000 and 1000000000.")
                }
                if !locations.insert(stock.location).inserted {
                    errors.add(pointer + "/location", "duplicate", "Location '\(stock.location)' appears twice.")
                }
            }
        }
    }
}

/// Stock keeping units: 1–64 printable characters without spaces.
public enum SKU {
    /// The rule, for messages.
    public static let rule = "A SKU is 1–64 letters, digits, '-', '_', '.' or '/'."

    /// Whether `sku` is valid.
    public static func isValid(_ sku: String) -> Bool {
        (1...64).contains(sku.utf8.count) && sku.utf8.allSatisfy {
            (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || [45, 95, 46, 47].contains($0)
        }
    }
}
