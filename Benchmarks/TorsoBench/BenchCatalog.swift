import Foundation

/// The settings and product bodies of the admin-write benchmark. Settings use fixed `bench`
/// codes and are created once per database (409 `already_exists` on a rerun is fine); each run
/// has its own category and its own slugs, SKUs and EANs, so runs can repeat on one database.
enum BenchCatalog {
    /// Settings in dependency order: path and body.
    static let settings: [(path: String, body: String)] = [
        ("/admin/v1/locales", #"{"code":"en-US","name":"English (United States)"}"#),
        ("/admin/v1/locales", #"{"code":"de-DE","name":"Deutsch (Deutschland)"}"#),
        ("/admin/v1/channels", #"{"code":"bench-web","name":"Benchmark web shop","locales":["en-US","de-DE"],"default_locale":"en-US","currencies":["EUR","USD"],"payment_providers":["test","manual"],"test_mode":true}"#),
        ("/admin/v1/stock-locations", #"{"code":"bench-berlin","name":"Berlin warehouse"}"#),
        ("/admin/v1/stock-locations", #"{"code":"bench-newark","name":"Newark warehouse"}"#),
        ("/admin/v1/attributes", #"{"code":"bench_name","type":"text","localizable":true,"labels":{"en-US":"Name","de-DE":"Name"},"validation":{"max_length":120}}"#),
        ("/admin/v1/attributes", #"{"code":"bench_description","type":"textarea","localizable":true,"labels":{"en-US":"Description","de-DE":"Beschreibung"}}"#),
        ("/admin/v1/attributes", #"{"code":"bench_brand","type":"text","labels":{"en-US":"Brand","de-DE":"Marke"}}"#),
        ("/admin/v1/attributes", #"{"code":"bench_ean","type":"text","unique":true,"labels":{"en-US":"EAN","de-DE":"EAN"},"validation":{"pattern":"[0-9]{13}"}}"#),
        ("/admin/v1/attributes", #"{"code":"bench_weight","type":"metric","units":["GRAM","KILOGRAM"],"default_unit":"GRAM","labels":{"en-US":"Weight","de-DE":"Gewicht"},"validation":{"min":0}}"#),
        ("/admin/v1/attributes", #"{"code":"bench_color","type":"select","labels":{"en-US":"Color","de-DE":"Farbe"},"options":[\#(options(colors))]}"#),
        ("/admin/v1/attributes", #"{"code":"bench_size","type":"select","labels":{"en-US":"Size","de-DE":"Größe"},"options":[\#(options(sizes))]}"#),
        ("/admin/v1/product-types", #"{"code":"bench_tshirt","labels":{"en-US":"T-shirt","de-DE":"T-Shirt"},"attributes":["bench_name","bench_description","bench_brand","bench_ean"],"variant_attributes":["bench_weight"],"variant_axes":["bench_size","bench_color"],"requirements":{"bench-web":["bench_name","bench_description"]}}"#),
    ]

    static let colors = [("black", "Black", "Schwarz"), ("white", "White", "Weiß"), ("navy", "Navy", "Marineblau"),
                         ("olive", "Olive", "Oliv"), ("red", "Red", "Rot")]
    static let sizes = [("s", "S", "S"), ("m", "M", "M"), ("l", "L", "L")]
    static let brands = ["Northwind", "Fjord & Pine", "Kestrel", "Lindqvist", "Marlow"]
    static let adjectives = [("Classic", "Klassisches"), ("Everyday", "Alltags-"), ("Heritage", "Heritage-"), ("Trail", "Trail-"),
                             ("Urban", "Urbanes"), ("Harbor", "Hafen-"), ("Summit", "Gipfel-"), ("Nordic", "Nordisches")]

    static func options(_ pairs: [(String, String, String)]) -> String {
        pairs.map { #"{"code":"\#($0.0)","labels":{"en-US":"\#($0.1)","de-DE":"\#($0.2)"}}"# }.joined(separator: ",")
    }

    /// The body of this run's category.
    static func categoryBody(run: String) -> String {
        #"{"names":{"en-US":"Benchmark \#(run)","de-DE":"Benchmark \#(run)"},"slug":{"en-US":"bench-\#(run)","de-DE":"bench-\#(run)-de"},"position":0}"#
    }

    /// Product number `index` of a run: a T-shirt in two locales with three size variants,
    /// each priced in EUR and USD and stocked in two locations (about 2.3 KB of JSON).
    static func productBody(run: String, eanPrefix: Int, index: Int, category: String) -> String {
        let (adjective, adjektiv) = adjectives[index % adjectives.count]
        let color = colors[index % colors.count]
        let brand = brands[index % brands.count]
        let number = index + 1
        let slug = "bench-\(run)-\(number)"
        let ean = String(format: "%04d%09d", eanPrefix, index)
        let price = 1_499 + (index % 20) * 100
        let variants = sizes.enumerated().map { offset, size in
            let amount = price + offset * 200
            return """
                {"sku":"BENCH-\(run)-\(number)-\(size.1)","axes":{"bench_size":"\(size.0)","bench_color":"\(color.0)"},\
                "values":{"bench_weight":[{"locale":null,"channel":null,"data":{"amount":\(160 + offset * 20),"unit":"GRAM"}}]},\
                "prices":[{"amount":\(amount),"currency":"EUR"},{"amount":\(amount * 108 / 100),"currency":"USD"}],\
                "stock":[{"location":"bench-berlin","on_hand":\((index * 13 + offset) % 40)},{"location":"bench-newark","on_hand":\((index * 7 + offset) % 25)}]}
                """
        }.joined(separator: ",")
        return """
            {"product_type":"bench_tshirt","slug":{"en-US":"\(slug)","de-DE":"\(slug)-de"},\
            "values":{\
            "bench_name":[{"locale":"en-US","channel":null,"data":"\(adjective) Tee \(number) \(color.1)"},\
            {"locale":"de-DE","channel":null,"data":"\(adjektiv) T-Shirt \(number) \(color.2)"}],\
            "bench_description":[{"locale":"en-US","channel":null,"data":"A \(adjective.lowercased()) tee in \(color.1.lowercased()) organic cotton jersey, 180 g/m². Regular fit, ribbed crew neck, double-stitched hems. Made in Portugal by \(brand)."},\
            {"locale":"de-DE","channel":null,"data":"Ein T-Shirt in \(color.2) aus Bio-Baumwolljersey, 180 g/m². Normale Passform, gerippter Rundhalsausschnitt, doppelt genähte Säume. Hergestellt in Portugal von \(brand)."}],\
            "bench_brand":[{"locale":null,"channel":null,"data":"\(brand)"}],\
            "bench_ean":[{"locale":null,"channel":null,"data":"\(ean)"}]},\
            "categories":["\(category)"],\
            "media":[{"url":"https://images.example.com/bench/\(slug)-front.jpg","alt":{"en-US":"\(adjective) Tee, front","de-DE":"\(adjektiv) T-Shirt, vorne"}}],\
            "variants":[\(variants)]}
            """
    }
}
