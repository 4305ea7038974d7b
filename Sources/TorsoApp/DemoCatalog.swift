import Catalog
import Foundation
import TorsoKit
import Workflows

/// A demo shop that looks real: four channels (web, app, voice, billboard), two locales, three
/// product types, seventeen attributes, a two-level category tree, and 60 products with 160
/// variants priced in EUR and USD and stocked in two locations. Some products are left
/// incomplete on purpose (no German description, no spoken description for voice), so
/// completeness has something to show. Each product is published to the channels it is complete
/// for. Two price lists show price selection: a running sale (with compare-at prices and a
/// quantity tier) and override prices for the customer group `b2b`, whose demo customer is
/// `b2b@torso.dev` (password `torso demo b2b`). Everything goes through the same services and
/// validation as the admin API.
public enum DemoCatalog {
    /// Loads the demo unless the database already holds locales; `true` when it loaded.
    @discardableResult
    public static func loadIfEmpty(_ services: TorsoServices) async throws -> Bool {
        if !(try await services.locales.list(PageRequest(limit: 1)).data.isEmpty) { return false }
        try await load(services)
        return true
    }

    static let context = WriteContext(actor: .init(keyId: "system", name: "demo loader"))

    /// Loads every setting and product.
    public static func load(_ services: TorsoServices) async throws {
        try await loadSettings(services)
        let categories = try await loadCategories(services)
        for index in 0..<60 {
            let created = try await services.products.create(product(index, categories: categories), context: context)
            try await publishWhereComplete(try JSONCoding.decoder().decode(Product.self, from: created.body).key, services)
        }
        try await loadPriceLists(services)
    }

    /// A sale running from yesterday for 30 days and the `b2b` group's prices, with a customer
    /// of that group. Lists name variants by SKU, as a merchandiser's spreadsheet would.
    static func loadPriceLists(_ services: TorsoServices, now: Date = Date()) async throws {
        let starts = Timestamp.string(now.addingTimeInterval(-86_400)), ends = Timestamp.string(now.addingTimeInterval(30 * 86_400))
        func prices(_ entries: [(sku: String, amount: Int, from: Int)]) -> String {
            entries.map { #"{"sku":"\#($0.sku)","amount":\#($0.amount),"min_quantity":\#($0.from)}"# }.joined(separator: ",")
        }
        let sale = prices(["S", "M", "L", "XL"].map { ("TEE-001-BLACK-\($0)", 1_499, 1) }
            + ["40", "42", "44"].map { ("SNK-021-\($0)", 5_999, 1) }
            + [("COF-041-500G", 990, 1), ("COF-041-500G", 890, 5)])
        _ = try await services.priceLists.create(try json("""
            {"code":"season-sale","name":"Season sale","currency":"EUR","type":"sale","starts_at":"\(starts)","ends_at":"\(ends)","prices":[\(sale)]}
            """), context: context)
        let b2b = prices(["S", "M", "L", "XL"].map { ("TEE-002-WHITE-\($0)", 1_700, 1) }
            + [("COF-042-500G", 1_100, 1), ("COF-042-500G", 990, 10)])
        _ = try await services.priceLists.create(try json("""
            {"code":"b2b","name":"Trade prices","currency":"EUR","customer_group":"b2b","type":"override","prices":[\(b2b)]}
            """), context: context)
        let customer = try await services.customers.register(.init(email: "b2b@torso.dev", password: "torso demo b2b", firstName: "Trade",
                                                                   lastName: "Buyer"))
        _ = try await services.customers.updateAsAdmin(customer.id.rawValue, patch: .object(["group": .string("b2b")]), expectedVersion: nil)
    }

    /// Publishes a product to every channel it is complete for, as a merchandiser would.
    static func publishWhereComplete(_ id: String, _ services: TorsoServices) async throws {
        let completeness = try await services.queries.completeness(of: id).completeness
        let channels = Set(completeness.map(\.channel)).filter { channel in
            completeness.allSatisfy { $0.channel != channel || $0.missing.isEmpty }
        }
        guard !channels.isEmpty else { return }
        _ = try await services.publishing.publish(id, body: .object(["channels": .array(channels.sorted().map { .string($0) })]), context: context)
    }

    /// Locales, channels, stock locations, attributes and product types.
    public static func loadSettings(_ services: TorsoServices) async throws {
        for body in [#"{"code":"en-US","name":"English (United States)"}"#, #"{"code":"de-DE","name":"Deutsch (Deutschland)"}"#] {
            _ = try await services.locales.create(try json(body), context: context)
        }
        let channels = [
            ("web", "Web shop"), ("app", "Mobile app"), ("voice", "Voice assistant"), ("billboard", "Billboard checkout"),
        ]
        for (code, name) in [("berlin", "Online warehouse (Berlin)"), ("newark", "Newark warehouse")] {
            _ = try await services.stockLocations.create(try json(#"{"code":"\#(code)","name":"\#(name)"}"#), context: context)
        }
        // Online orders ship from the warehouses; the stores sell over the counter and hand out
        // click-and-collect orders. The voice assistant says "a few left", not "3".
        for (code, name) in channels {
            let display = code == "voice" ? "band" : "quantity"
            // The billboard hands its carts to phones: the QR code opens its claim page.
            let handoff = code == "billboard" ? #","handoff_url":"https://billboard.example.com/claim?code={code}""# : ""
            _ = try await services.channels.create(try json("""
                {"code":"\(code)","name":"\(name)","locales":["en-US","de-DE"],"default_locale":"en-US","currencies":["EUR","USD"],"default_country":"DE",
                 "stock_locations":["berlin","newark"],"stock_display":"\(display)","payment_providers":["test","manual"],"test_mode":true\(handoff)}
                """), context: context)
        }
        for store in stores {
            _ = try await services.stockLocations.create(try json(store), context: context)
        }
        for attribute in attributes {
            _ = try await services.attributes.create(try json(attribute), context: context)
        }
        for type in productTypes {
            _ = try await services.productTypes.create(try json(type), context: context)
        }
        // Selling: shipping in the EU and the US, VAT for Germany and Austria, a welcome code.
        for body in [
            #"{"code":"standard","name":{"en-US":"Standard (3–5 days)","de-DE":"Standard (3–5 Tage)"},"zones":[{"countries":["DE","AT","FR","NL"]}],"rate":{"type":"flat","amount":495},"currency":"EUR","free_above":5000}"#,
            #"{"code":"express","name":{"en-US":"Express (next day)","de-DE":"Express (nächster Tag)"},"zones":[{"countries":["DE","AT"]}],"rate":{"type":"weight","tiers":[{"up_to_grams":2000,"amount":990},{"up_to_grams":20000,"amount":1490}]},"currency":"EUR"}"#,
            #"{"code":"pickup","name":{"en-US":"Collect in store","de-DE":"Im Laden abholen"},"zones":[{"countries":["DE","AT"]}],"rate":{"type":"flat","amount":0},"currency":"EUR","pickup":true}"#,
            #"{"code":"us-ground","name":{"en-US":"Ground"},"zones":[{"countries":["US"]}],"rate":{"type":"flat","amount":695},"currency":"USD","free_above":7500}"#,
        ] {
            _ = try await services.shippingMethods.create(try json(body), context: context)
        }
        for body in [
            #"{"code":"de-standard","country":"DE","tax_class":"standard","rate_basis_points":1900}"#,
            #"{"code":"de-reduced","country":"DE","tax_class":"reduced","rate_basis_points":700}"#,
            #"{"code":"at-standard","country":"AT","tax_class":"standard","rate_basis_points":2000}"#,
        ] {
            _ = try await services.taxRates.create(try json(body), context: context)
        }
        _ = try await services.promotions.create(try json(
            #"{"id":"welcome","code":"WELCOME10","name":"10 % off your first order","kind":{"type":"percentage","basis_points":1000},"usage_limit_per_customer":1}"#
        ), context: context)
    }

    static func json(_ text: String) throws -> JSONValue { try JSONCoding.parse(Data(text.utf8)) }

    static func options(_ pairs: [(String, String, String)]) -> String {
        pairs.map { #"{"code":"\#($0.0)","labels":{"en-US":"\#($0.1)","de-DE":"\#($0.2)"}}"# }.joined(separator: ",")
    }

    static let colors = [("black", "Black", "Schwarz"), ("white", "White", "Weiß"), ("navy", "Navy", "Marineblau"),
                         ("olive", "Olive", "Oliv"), ("red", "Red", "Rot")]
    static let sizes = [("s", "S", "S"), ("m", "M", "M"), ("l", "L", "L"), ("xl", "XL", "XL")]
    static let shoeSizes = [("40", "EU 40", "EU 40"), ("42", "EU 42", "EU 42"), ("44", "EU 44", "EU 44")]

    static let attributes: [String] = [
        #"{"code":"name","type":"text","localizable":true,"labels":{"en-US":"Name","de-DE":"Name"},"validation":{"max_length":120}}"#,
        #"{"code":"description","type":"textarea","localizable":true,"labels":{"en-US":"Description","de-DE":"Beschreibung"}}"#,
        #"{"code":"spoken_description","type":"text","localizable":true,"scopable":true,"labels":{"en-US":"Spoken description","de-DE":"Gesprochene Beschreibung"},"validation":{"max_length":200}}"#,
        #"{"code":"care_instructions","type":"rich_text","localizable":true,"labels":{"en-US":"Care","de-DE":"Pflege"}}"#,
        #"{"code":"brand","type":"text","labels":{"en-US":"Brand","de-DE":"Marke"}}"#,
        #"{"code":"ean","type":"text","unique":true,"labels":{"en-US":"EAN","de-DE":"EAN"},"validation":{"pattern":"[0-9]{13}"}}"#,
        #"{"code":"hero_image","type":"media","labels":{"en-US":"Hero image","de-DE":"Titelbild"}}"#,
        #"{"code":"release_date","type":"date","labels":{"en-US":"Release date","de-DE":"Erscheinungsdatum"}}"#,
        #"{"code":"organic","type":"boolean","labels":{"en-US":"Organic","de-DE":"Bio"}}"#,
        #"{"code":"weight","type":"metric","units":["GRAM","KILOGRAM"],"default_unit":"GRAM","labels":{"en-US":"Weight","de-DE":"Gewicht"},"validation":{"min":0}}"#,
        #"{"code":"rating","type":"number","labels":{"en-US":"Rating","de-DE":"Bewertung"},"validation":{"min":0,"max":5}}"#,
        #"{"code":"related_product","type":"reference","labels":{"en-US":"Related product","de-DE":"Ähnliches Produkt"}}"#,
        #"{"code":"material","type":"select","labels":{"en-US":"Material","de-DE":"Material"},"options":[\#(options([("cotton", "Cotton", "Baumwolle"), ("linen", "Linen", "Leinen"), ("leather", "Leather", "Leder"), ("canvas", "Canvas", "Segeltuch")]))]}"#,
        #"{"code":"features","type":"multi_select","labels":{"en-US":"Features","de-DE":"Merkmale"},"options":[\#(options([("waterproof", "Waterproof", "Wasserdicht"), ("vegan", "Vegan", "Vegan"), ("fair_trade", "Fair trade", "Fairer Handel"), ("recycled", "Recycled", "Recycelt")]))]}"#,
        #"{"code":"roast","type":"select","labels":{"en-US":"Roast","de-DE":"Röstung"},"options":[\#(options([("light", "Light", "Hell"), ("medium", "Medium", "Mittel"), ("dark", "Dark", "Dunkel")]))]}"#,
        #"{"code":"color","type":"select","labels":{"en-US":"Color","de-DE":"Farbe"},"options":[\#(options(colors))]}"#,
        #"{"code":"size","type":"select","labels":{"en-US":"Size","de-DE":"Größe"},"options":[\#(options(sizes))]}"#,
        #"{"code":"shoe_size","type":"select","labels":{"en-US":"Shoe size","de-DE":"Schuhgröße"},"options":[\#(options(shoeSizes))]}"#,
    ]

    static let requirements = #"{"web":["name","description","hero_image"],"app":["name","hero_image"],"voice":["name","spoken_description"],"billboard":["name","hero_image"]}"#

    static let productTypes: [String] = [
        #"{"code":"tshirt","labels":{"en-US":"T-shirt","de-DE":"T-Shirt"},"attributes":["name","description","spoken_description","care_instructions","brand","ean","hero_image","material","features","rating"],"variant_attributes":["weight"],"variant_axes":["color","size"],"requirements":\#(requirements)}"#,
        #"{"code":"sneaker","labels":{"en-US":"Sneaker","de-DE":"Sneaker"},"attributes":["name","description","spoken_description","brand","ean","hero_image","material","features","release_date","related_product","rating"],"variant_attributes":["weight"],"variant_axes":["shoe_size"],"requirements":\#(requirements)}"#,
        #"{"code":"coffee","labels":{"en-US":"Coffee","de-DE":"Kaffee"},"attributes":["name","description","spoken_description","brand","ean","hero_image","organic","roast","rating"],"variant_attributes":["weight"],"requirements":\#(requirements)}"#,
    ]

    /// The demo categories: top level and one level below; returns slug → ID.
    static func loadCategories(_ services: TorsoServices) async throws -> [String: String] {
        let tree: [(String, String, String, [(String, String, String)])] = [
            ("apparel", "Apparel", "Bekleidung", [("t-shirts", "T-shirts", "T-Shirts"), ("basics", "Basics", "Basics")]),
            ("footwear", "Footwear", "Schuhe", [("sneakers", "Sneakers", "Sneaker"), ("running", "Running", "Laufschuhe")]),
            ("coffee", "Coffee", "Kaffee", [("beans", "Beans", "Bohnen"), ("ground", "Ground", "Gemahlen")]),
        ]
        var ids: [String: String] = [:]
        for (position, (slug, english, german, children)) in tree.enumerated() {
            let parent = try await create(services, slug: slug, english: english, german: german, parent: nil, position: position)
            ids[slug] = parent
            for (childPosition, child) in children.enumerated() {
                ids[child.0] = try await create(services, slug: child.0, english: child.1, german: child.2, parent: parent, position: childPosition)
            }
        }
        return ids
    }

    private static func create(_ services: TorsoServices, slug: String, english: String, german: String, parent: String?, position: Int) async throws -> String {
        let parentJSON = parent.map { #""\#($0)""# } ?? "null"
        let response = try await services.categories.create(try json("""
            {"names":{"en-US":"\(english)","de-DE":"\(german)"},"slug":{"en-US":"\(slug)","de-DE":"\(slug)-de"},"parent_id":\(parentJSON),"position":\(position)}
            """), context: context)
        return try JSONCoding.decoder().decode(Category.self, from: response.body).key
    }

    static let brands = ["Northwind", "Fjord & Pine", "Kestrel", "Ubuntu Roasters", "Lindqvist", "Marlow"]
    static let adjectives = [("Classic", "Klassisches"), ("Everyday", "Alltags-"), ("Heritage", "Heritage-"), ("Trail", "Trail-"),
                             ("Urban", "Urbanes"), ("Harbor", "Hafen-"), ("Summit", "Gipfel-"), ("Meadow", "Wiesen-"),
                             ("Nordic", "Nordisches"), ("Coastal", "Küsten-")]

    /// The body of demo product number `index` (0-based): 20 T-shirts with 4 variants,
    /// 20 sneakers with 3, and 20 coffees with 1.
    static func product(_ index: Int, categories: [String: String]) throws -> JSONValue {
        let family = index / 20
        let number = index % 20
        let (adjective, adjektiv) = adjectives[number % adjectives.count]
        let brand = brands[(index * 7) % brands.count]
        let ean = String(4_006_381_000_000 + index * 17)
        let (type, english, german, category, price): (String, String, String, String, Int)
        switch family {
        case 0: (type, english, german, category, price) = ("tshirt", "\(adjective) Tee \(number + 1)", "\(adjektiv) T-Shirt \(number + 1)", number % 2 == 0 ? "t-shirts" : "basics", 1_999 + number * 100)
        case 1: (type, english, german, category, price) = ("sneaker", "\(adjective) Runner \(number + 1)", "\(adjektiv) Laufschuh \(number + 1)", number % 2 == 0 ? "sneakers" : "running", 7_999 + number * 250)
        default: (type, english, german, category, price) = ("coffee", "\(adjective) Roast \(number + 1)", "\(adjektiv) Röstung \(number + 1)", number % 2 == 0 ? "beans" : "ground", 1_290 + number * 40)
        }
        let slug = english.lowercased().replacingOccurrences(of: " ", with: "-")
        var values: [String: JSONValue] = [
            "name": .array([value(english, locale: "en-US"), value(german, locale: "de-DE")]),
            "description": .array([value("The \(english) by \(brand): made to last, easy to love.", locale: "en-US")]
                + (number % 5 == 4 ? [] : [value("\(german) von \(brand): langlebig und leicht zu lieben.", locale: "de-DE")])),
            "brand": .array([value(brand)]),
            "ean": .array([value(ean)]),
            "rating": .array([.object(["locale": .null, "channel": .null, "data": .number(Double(30 + (index * 3) % 20) / 10)])]),
        ]
        if number % 7 != 6 { values["hero_image"] = .array([value("https://images.torso.dev/demo/\(slug).jpg")]) }
        if number % 3 != 2 {
            values["spoken_description"] = .array([
                value("\(english), by \(brand), from \(price / 100) euros.", locale: "en-US", channel: "voice"),
                value("\(german) von \(brand), ab \(price / 100) Euro.", locale: "de-DE", channel: "voice"),
            ])
        }
        switch type {
        case "tshirt":
            values["material"] = .array([value(number % 2 == 0 ? "cotton" : "linen")])
            values["features"] = .array([.object(["locale": .null, "channel": .null, "data": .array([.string("fair_trade"), .string("vegan")])])])
            values["care_instructions"] = .array([value("<p>Wash at 30°C. Do not tumble dry.</p>", locale: "en-US")])
        case "sneaker":
            values["material"] = .array([value(number % 2 == 0 ? "leather" : "canvas")])
            values["release_date"] = .array([value(String(format: "2026-%02d-%02d", number % 12 + 1, number % 28 + 1))])
        default:
            values["organic"] = .array([.object(["locale": .null, "channel": .null, "data": .bool(number % 2 == 0)])])
            values["roast"] = .array([value(["light", "medium", "dark"][number % 3])])
        }
        var variants: [JSONValue] = []
        func variant(sku: String, axes: [String: String], grams: Int, offset: Int) -> JSONValue {
            .object([
                "sku": .string(sku),
                "axes": .object(axes.mapValues { .string($0) }),
                "values": .object(["weight": .array([.object(["locale": .null, "channel": .null,
                                                             "data": .object(["amount": .number(Double(grams)), "unit": .string("GRAM")])])])]),
                "prices": .array([
                    .object(["amount": .number(Double(price + offset)), "currency": .string("EUR")]),
                    .object(["amount": .number(Double((price + offset) * 108 / 100)), "currency": .string("USD")]),
                    .object(["amount": .number(Double(price + offset - 100)), "currency": .string("EUR"), "channel": .string("billboard")]),
                ]),
                "stock": .array([
                    .object(["location": .string("berlin"), "on_hand": .number(Double((index * 13 + offset) % 40))]),
                    .object(["location": .string("newark"), "on_hand": .number(Double((index * 7 + offset) % 25))]),
                    .object(["location": .string("berlin-mitte"), "on_hand": .number(Double((index * 5 + offset / 100) % 7))]),
                    .object(["location": .string("munich"), "on_hand": .number(Double((index * 3 + offset / 100) % 5))]),
                    .object(["location": .string("vienna"), "on_hand": .number(Double((index + offset / 100) % 4))]),
                ]),
            ])
        }
        let code = String(format: "%03d", index + 1)
        switch type {
        case "tshirt":
            let color = colors[number % colors.count].0
            for (offset, size) in sizes.enumerated() {
                variants.append(variant(sku: "TEE-\(code)-\(color.uppercased())-\(size.0.uppercased())", axes: ["color": color, "size": size.0],
                                        grams: 180 + offset * 20, offset: offset * 100))
            }
        case "sneaker":
            for (offset, size) in shoeSizes.enumerated() {
                variants.append(variant(sku: "SNK-\(code)-\(size.0)", axes: ["shoe_size": size.0], grams: 700 + offset * 40, offset: 0))
            }
        default:
            variants.append(variant(sku: "COF-\(code)-500G", axes: [:], grams: 500, offset: 0))
        }
        let parentCategory = family == 0 ? "apparel" : family == 1 ? "footwear" : "coffee"
        return .object([
            "product_type": .string(type),
            "slug": .object(["en-US": .string(slug), "de-DE": .string(slug + "-de")]),
            "values": .object(values),
            "categories": .array([.string(categories[category]!)] + (number == 0 ? [.string(categories[parentCategory]!)] : [])),
            "media": .array([.object(["url": .string("https://images.torso.dev/demo/\(slug)-1.jpg"),
                                      "alt": .object(["en-US": .string(english), "de-DE": .string(german)])])]),
            "variants": .array(variants),
        ])
    }

    private static func value(_ text: String, locale: String? = nil, channel: String? = nil) -> JSONValue {
        .object(["locale": locale.map { .string($0) } ?? .null, "channel": channel.map { .string($0) } ?? .null, "data": .string(text)])
    }
}
