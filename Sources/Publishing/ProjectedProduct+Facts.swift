import Inventory
import TorsoKit

/// Projected facts stored beside a listing, so that start-up reads them instead of decoding and
/// projecting every product again. They are valid for the published copy (version and time) and
/// the settings version they were made with, and for the price lists that were active and priced
/// the product then (its pricing key); stock is live and is never part of them.
extension ProjectedProduct {
    /// The format of ``storedFacts``; a change makes every stored fact stale.
    static let factsFormat = 2

    /// The facts as compact JSON.
    public var storedFacts: String {
        let value: JSONValue = .array([
            .number(Double(Self.factsFormat)), .string(id), .string(productType),
            .array(slugs.map { .string($0) }), .array(names.map { .string($0) }), .array(sortNames.map { .string($0) }),
            .array(tokens.map { .string($0) }), image.map { .string($0) } ?? .null, price.map { .number(Double($0)) } ?? .null,
            .string(currency), .array(variantIds.map { .string($0) }), .array(categories.map { .string($0) }),
            .array(facetCodes.map { .number(Double($0)) }), .object(numbers.mapValues { .number($0) }),
            .array(skus.map { .string($0) }), compareAt.map { .number(Double($0)) } ?? .null, .string(pricingKey),
        ])
        return String(decoding: value.jsonBytes(), as: UTF8.self)
    }

    /// Rebuilds a projected product from ``storedFacts`` with live stock; `nil` when the text is
    /// not facts of the current format, or when the price lists that price the product and are
    /// active for `projector` are not those the facts were priced with (a list started or ended
    /// since): such facts would bring back an old price.
    public static func restore(facts text: String, document: PublishedDocument, visible: Bool, stock: [String: [StockLevel]],
                               projector: Projector) -> ProjectedProduct? {
        guard case .array(let fields)? = try? JSONValue.parse(bytes: text.utf8), fields.count == 17,
              fields[0] == .number(Double(factsFormat)), case .string(let id) = fields[1], case .string(let productType) = fields[2],
              case .string(let currency) = fields[9], case .object(let numbers) = fields[13],
              case .string(let pricingKey) = fields[16] else { return nil }
        func strings(_ value: JSONValue) -> [String]? {
            guard case .array(let elements) = value else { return nil }
            var result: [String] = []
            result.reserveCapacity(elements.count)
            for case .string(let text) in elements { result.append(text) }
            return result.count == elements.count ? result : nil
        }
        guard let slugs = strings(fields[3]), let names = strings(fields[4]), let sortNames = strings(fields[5]),
              let tokens = strings(fields[6]), let variantIds = strings(fields[10]), let categories = strings(fields[11]),
              case .array(let codes) = fields[12], let skus = strings(fields[14]),
              pricingKey == projector.pricingKey(variantIds: variantIds, skus: skus) else { return nil }
        let live = projector.stock(of: variantIds, in: stock)
        return ProjectedProduct(
            id: id, productType: productType, slugs: slugs, names: names, sortNames: sortNames, tokens: tokens,
            image: fields[7].stringValue, price: fields[8].numberValue.map { Int64($0) }, compareAt: fields[15].numberValue.map { Int64($0) },
            currency: currency, variantIds: variantIds, skus: skus, variantStock: live.variants, storeStock: live.stores, categories: categories,
            facetCodes: codes.compactMap { $0.numberValue.map { UInt32($0) } }, numbers: numbers.compactMapValues(\.numberValue),
            pricingKey: pricingKey, visibleInListings: visible, source: document)
    }
}
