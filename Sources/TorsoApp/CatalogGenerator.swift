import Catalog
import Foundation
import TorsoKit
import Workflows

/// Makes a large, realistic catalog quickly, for benchmarks and for people evaluating Torso:
/// the demo's settings and categories, then products of the three demo types with 3 variants
/// each (T-shirts, sneakers, coffee), names drawn from word lists in English and German,
/// prices in EUR and USD, stock in two locations, about one in twenty incomplete on purpose.
/// Products are written and published in batches of 500, each batch one transaction, through
/// the same validation as the admin API.
public enum CatalogGenerator {
    /// Adds `count` products (and the settings, if the database is empty); reports progress.
    public static func generate(_ services: TorsoServices, count: Int, progress: @Sendable (Int) -> Void = { _ in }) async throws {
        if try await services.locales.list(PageRequest(limit: 1)).data.isEmpty {
            try await DemoCatalog.loadSettings(services)
            _ = try await DemoCatalog.loadCategories(services)
        }
        let categories = try await services.categories.list(PageRequest(limit: 200)).data
        let leaves = categories.filter { category in !categories.contains { $0.parentId == category.id } }
        let run = String(UUID().uuidString.prefix(6)).lowercased()
        let context = WriteContext(actor: .init(keyId: "system", name: "catalog generator"))
        var done = 0
        while done < count {
            let batch = min(500, count - done)
            let bodies = (done..<(done + batch)).map { product($0, run: run, categories: leaves) }
            let created = try await services.products.createBatch(bodies, context: context)
            _ = try await services.publishing.publishWhereComplete(created.map(\.key), context: context)
            done += batch
            progress(done)
        }
        try await services.projections.rebuildAllAndStoreFacts()
    }

    static let adjectives = [("Classic", "Klassik"), ("Everyday", "Alltag"), ("Heritage", "Erbe"), ("Trail", "Pfad"), ("Urban", "Stadt"),
                             ("Harbor", "Hafen"), ("Summit", "Gipfel"), ("Meadow", "Wiese"), ("Nordic", "Nordisch"), ("Coastal", "Küste"),
                             ("Alpine", "Alpen"), ("Midnight", "Mitternacht"), ("Golden", "Gold"), ("Rustic", "Rustikal"), ("Velvet", "Samt"),
                             ("Granite", "Granit"), ("Sunset", "Sonnenuntergang"), ("Forest", "Wald"), ("Arctic", "Arktis"), ("Canyon", "Schlucht")]
    static let nouns: [[(String, String)]] = [
        [("Tee", "Shirt"), ("Crew", "Rundhals"), ("Polo", "Polo"), ("Henley", "Henley"), ("Tank", "Top")],
        [("Runner", "Läufer"), ("Sneaker", "Turnschuh"), ("Trainer", "Trainer"), ("Court", "Court"), ("Racer", "Renner")],
        [("Roast", "Röstung"), ("Blend", "Mischung"), ("Espresso", "Espresso"), ("Single Origin", "Einzellage"), ("Decaf", "Entkoffeiniert")],
    ]
    static let types = ["tshirt", "sneaker", "coffee"]

    static func text(_ value: String, _ locale: String? = nil, _ channel: String? = nil) -> JSONValue {
        .object(["locale": locale.map { .string($0) } ?? .null, "channel": channel.map { .string($0) } ?? .null, "data": .string(value)])
    }

    static func plain(_ value: JSONValue) -> JSONValue { .object(["locale": .null, "channel": .null, "data": value]) }

    /// Product number `index` of a generator run.
    static func product(_ index: Int, run: String, categories: [Category]) -> JSONValue {
        let family = index % 3
        let (adjective, adjektiv) = adjectives[(index / 3) % adjectives.count]
        let (noun, nomen) = nouns[family][(index / 60) % 5]
        let brand = DemoCatalog.brands[(index / 7) % DemoCatalog.brands.count]
        let english = "\(adjective) \(noun) \(index)"
        let german = "\(adjektiv) \(nomen) \(index)"
        let slug = "\(adjective)-\(noun)-\(run)-\(index)".lowercased().replacingOccurrences(of: " ", with: "-")
        let price = Double(990 + (index * 37) % 12_000)
        let incomplete = index % 20 == 19
        var values: [String: JSONValue] = [
            "name": .array([text(english, "en-US"), text(german, "de-DE")]),
            "description": .array([text("\(english) by \(brand). Made to last, easy to love.", "en-US")]
                + (incomplete ? [] : [text("\(german) von \(brand). Langlebig und leicht zu lieben.", "de-DE")])),
            "spoken_description": .array([text("\(english), by \(brand).", "en-US", "voice"), text("\(german), von \(brand).", "de-DE", "voice")]),
            "brand": .array([text(brand)]),
            "hero_image": .array([text("https://images.torso.dev/gen/\(slug).jpg")]),
            "rating": .array([plain(.number(Double(index % 50) / 10))]),
        ]
        var variants: [JSONValue] = []
        let code = "\(run.uppercased())-\(index)"
        func variant(_ sku: String, _ axes: [String: String], _ offset: Double) -> JSONValue {
            let weight: JSONValue = .object(["amount": .number(200 + offset), "unit": .string("GRAM")])
            let euro: JSONValue = .object(["amount": .number(price + offset), "currency": .string("EUR")])
            let dollar: JSONValue = .object(["amount": .number(((price + offset) * 1.08).rounded()), "currency": .string("USD")])
            let berlin: JSONValue = .object(["location": .string("berlin"), "on_hand": .number(Double((index + Int(offset)) % 30))])
            let newark: JSONValue = .object(["location": .string("newark"), "on_hand": .number(Double((index * 3) % 11))])
            return .object([
                "sku": .string(sku), "axes": .object(axes.mapValues { .string($0) }),
                "values": .object(["weight": .array([plain(weight)])]),
                "prices": .array([euro, dollar]),
                "stock": .array([berlin, newark]),
            ])
        }
        switch family {
        case 0:
            values["material"] = .array([plain(.string(index % 2 == 0 ? "cotton" : "linen"))])
            values["features"] = .array([plain(.array([.string(["vegan", "fair_trade", "recycled"][index % 3])]))])
            let color = DemoCatalog.colors[index % DemoCatalog.colors.count].0
            for (offset, size) in ["s", "m", "l"].enumerated() {
                variants.append(variant("T-\(code)-\(size)".uppercased(), ["color": color, "size": size], Double(offset * 100)))
            }
        case 1:
            values["material"] = .array([plain(.string(index % 2 == 0 ? "leather" : "canvas"))])
            values["release_date"] = .array([plain(.string(String(format: "2026-%02d-%02d", index % 12 + 1, index % 28 + 1)))])
            for (offset, size) in ["40", "42", "44"].enumerated() {
                variants.append(variant("S-\(code)-\(size)", ["shoe_size": size], Double(offset * 200)))
            }
        default:
            values["organic"] = .array([plain(.bool(index % 2 == 0))])
            values["roast"] = .array([plain(.string(["light", "medium", "dark"][index % 3]))])
            for (offset, grams) in ["250G", "500G", "1KG"].enumerated() {
                variants.append(variant("C-\(code)-\(grams)", [:], Double(offset * 500)))
            }
        }
        let wanted = ["t-shirts", "basics", "sneakers", "running", "beans", "ground"][family * 2 + index % 2]
        let category = categories.first { $0.slug["en-US"] == wanted } ?? categories[index % max(1, categories.count)]
        return .object([
            "product_type": .string(types[family]),
            "slug": .object(["en-US": .string(slug), "de-DE": .string(slug + "-de")]),
            "values": .object(values),
            "categories": categories.isEmpty ? .array([]) : .array([.string(category.key)]),
            "media": .array([.object(["url": .string("https://images.torso.dev/gen/\(slug)-1.jpg"),
                                      "alt": .object(["en-US": .string(english), "de-DE": .string(german)])])]),
            "variants": .array(variants),
        ])
    }
}
