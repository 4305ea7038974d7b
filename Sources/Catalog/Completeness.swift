import TorsoKit

/// How complete a product is for one channel and locale, from its type's requirements.
public struct Completeness: Codable, Sendable, Equatable {
    /// The channel's code.
    public var channel: String
    /// The locale code.
    public var locale: String
    /// Filled required attributes divided by required attributes (1 when nothing is required).
    public var ratio: Double
    /// How many attributes are required.
    public var required: Int
    /// The required attribute codes that are missing, sorted.
    public var missing: [String]

    /// Creates a completeness entry.
    public init(channel: String, locale: String, ratio: Double, required: Int, missing: [String]) {
        self.channel = channel
        self.locale = locale
        self.ratio = ratio
        self.required = required
        self.missing = missing
    }

    /// Completeness for every channel × locale of the context. A product-level attribute is
    /// filled when it has a value for the locale (if localizable) and channel (if scopable);
    /// a variant-level one when every variant has such a value.
    public static func compute(for product: Product, type: ProductType, context: CatalogContext) -> [Completeness] {
        var result: [Completeness] = []
        for channel in context.channels.keys.sorted() {
            let required = Array(Set(type.requirements[channel] ?? [])).sorted()
            for locale in context.channels[channel]!.locales {
                let missing = required.filter { code in
                    guard let definition = context.attributes[code] else { return true }
                    func filled(_ values: ValueSet) -> Bool {
                        (values[code] ?? []).contains { value in
                            value.isFilled
                                && value.locale == (definition.localizable ? locale : nil)
                                && value.channel == (definition.scopable ? channel : nil)
                        }
                    }
                    if type.variantAttributes.contains(code) {
                        return product.variants.isEmpty || !product.variants.allSatisfy { filled($0.values) }
                    }
                    return !filled(product.values)
                }
                let ratio = required.isEmpty ? 1 : Double(required.count - missing.count) / Double(required.count)
                result.append(Completeness(channel: channel, locale: locale, ratio: (ratio * 10_000).rounded() / 10_000,
                                           required: required.count, missing: missing))
            }
        }
        return result
    }
}
