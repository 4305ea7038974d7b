import TorsoKit

extension Product: JSONConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let object = try JSONObjectReader(json)
        id = try object.id("id") ?? .generate()
        productType = try object.string("product_type")
        guard let slug = try object.optional("slug", as: LocalizedText.self) else {
            throw JSONShapeError(pointer: "/slug", code: "required", detail: "'slug' is required.")
        }
        self.slug = slug
        values = try object.arrayMap("values", of: AttributeValue.self)
        categories = []
        for (index, text) in try object.strings("categories").enumerated() {
            guard let category = ID<CategoryEntity>(parsing: text) else {
                throw JSONShapeError(pointer: "/categories/\(index)", code: "invalid_value", detail: "'\(text)' is not a cat_ identifier.")
            }
            categories.append(category)
        }
        media = try object.array("media", of: Media.self)
        variants = try object.array("variants", of: Variant.self)
        version = Int(try object.optionalInteger("version") ?? 1)
        createdAt = try object.optionalString("created_at") ?? ""
        updatedAt = try object.optionalString("updated_at") ?? ""
    }

    public var json: JSONValue {
        .object([
            "id": .string(id.rawValue), "product_type": .string(productType), "slug": slug.json,
            "values": .arrayMap(values), "categories": .array(categories.map { .string($0.rawValue) }),
            "media": .array(media.map(\.json)), "variants": .array(variants.map(\.json)),
            "version": .number(Double(version)), "created_at": .string(createdAt), "updated_at": .string(updatedAt),
        ])
    }
}

extension Product.Media: JSONConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let object = try JSONObjectReader(json)
        url = try object.string("url")
        alt = try object.optional("alt", as: LocalizedText.self) ?? [:]
    }

    public var json: JSONValue { .object(["url": .string(url), "alt": alt.json]) }
}

extension Variant: JSONConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let object = try JSONObjectReader(json)
        id = try object.id("id") ?? .generate()
        sku = try object.string("sku")
        axes = try object.stringMap("axes")
        values = try object.arrayMap("values", of: AttributeValue.self)
        prices = try object.array("prices", of: Price.self)
        stock = try object.array("stock", of: Stock.self)
    }

    public var json: JSONValue {
        .object([
            "id": .string(id.rawValue), "sku": .string(sku), "axes": .object(axes.mapValues { .string($0) }),
            "values": .arrayMap(values), "prices": .array(prices.map(\.json)), "stock": .array(stock.map(\.json)),
        ])
    }
}

extension Variant.Price: JSONConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let object = try JSONObjectReader(json)
        amount = try object.integer("amount")
        currency = try object.currency("currency")
        channel = try object.optionalString("channel")
    }

    public var json: JSONValue {
        .object(["amount": .number(Double(amount)), "currency": .string(currency.code), "channel": channel.map { .string($0) } ?? .null])
    }
}

extension Variant.Stock: JSONConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let object = try JSONObjectReader(json)
        location = try object.string("location")
        onHand = Int(try object.integer("on_hand"))
    }

    public var json: JSONValue { .object(["location": .string(location), "on_hand": .number(Double(onHand))]) }
}

extension AttributeValue: JSONConvertible {
    public init(json: JSONValue) throws(JSONShapeError) {
        let object = try JSONObjectReader(json)
        locale = try object.optionalString("locale")
        channel = try object.optionalString("channel")
        guard let data = object.members["data"] else {
            throw JSONShapeError(pointer: "/data", code: "required", detail: "'data' is required.")
        }
        self.data = data
    }

    public var json: JSONValue {
        .object(["locale": locale.map { .string($0) } ?? .null, "channel": channel.map { .string($0) } ?? .null, "data": data])
    }
}
