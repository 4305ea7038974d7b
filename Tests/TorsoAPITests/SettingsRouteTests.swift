import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TorsoKit
import TorsoTestSupport

/// One settings collection's round trip: a new resource, a patch, and what deleting it answers.
struct SettingsCase: Sendable, CustomTestStringConvertible {
    let collection: String
    let create: String
    /// The key of the created resource, when it is a code (categories get an ID).
    let key: String?
    let patch: String
    /// A member the patch changes, and its new value.
    let changed: (pointer: String, value: JSONValue)
    /// A member the patch leaves, and its value.
    let kept: (pointer: String, value: JSONValue)
    /// The answer to deleting it: 204, or a problem code.
    let deleteProblem: String?

    var testDescription: String { collection }

    static let all: [SettingsCase] = [
        SettingsCase(collection: "locales", create: #"{"code":"fr-FR","name":"Français"}"#, key: "fr-FR",
                     patch: #"{"name":"Français (France)"}"#, changed: ("name", .string("Français (France)")),
                     kept: ("code", .string("fr-FR")), deleteProblem: nil),
        SettingsCase(collection: "channels",
                     create: #"{"code":"app","name":"App","locales":["en-US","de-DE"],"default_locale":"en-US","currencies":["EUR"]}"#,
                     key: "app", patch: #"{"default_locale":"de-DE","currencies":["EUR","USD"]}"#,
                     changed: ("currencies", .array([.string("EUR"), .string("USD")])), kept: ("name", .string("App")), deleteProblem: nil),
        SettingsCase(collection: "stock-locations", create: #"{"code":"newark","name":"Newark"}"#, key: "newark",
                     patch: #"{"name":"Newark DC"}"#, changed: ("name", .string("Newark DC")), kept: ("code", .string("newark")),
                     deleteProblem: "not_deletable"),
        SettingsCase(collection: "attributes", create: #"{"code":"fit","type":"select","options":[{"code":"slim"},{"code":"regular"}]}"#,
                     key: "fit", patch: #"{"labels":{"en-US":"Fit"},"options":[{"code":"slim"},{"code":"regular"},{"code":"loose"}]}"#,
                     changed: ("labels", .object(["en-US": .string("Fit")])), kept: ("type", .string("select")), deleteProblem: nil),
        SettingsCase(collection: "product-types", create: #"{"code":"mug","attributes":["name","description"],"requirements":{"web":["name"]}}"#,
                     key: "mug", patch: #"{"requirements":{"voice":["name"]}}"#,
                     changed: ("requirements", .object(["web": .array([.string("name")]), "voice": .array([.string("name")])])),
                     kept: ("attributes", .array([.string("name"), .string("description")])), deleteProblem: nil),
        SettingsCase(collection: "categories", create: #"{"names":{"en-US":"Shoes"},"slug":{"en-US":"shoes"},"position":2}"#, key: nil,
                     patch: #"{"names":{"de-DE":"Schuhe"}}"#,
                     changed: ("names", .object(["en-US": .string("Shoes"), "de-DE": .string("Schuhe")])),
                     kept: ("position", .number(2)), deleteProblem: nil),
    ]
}

/// Locales, channels, stock locations, attributes, product types and categories through the
/// admin API: create, read, list, merge-patch and delete, and the rules between them.
@Suite struct SettingsRouteTests {
    @Test(arguments: SettingsCase.all)
    func roundTrip(_ setting: SettingsCase) async throws {
        try await withAPI { api in
            let base = "/admin/v1/\(setting.collection)"
            // When: created
            let created = try await api.post(base, setting.create)
            // Then
            #expect(created.status == .created, "\(created.text)")
            #expect(created.contentType == "application/json")
            #expect(created.version == 1)
            let createdAt = try #require(created.json["created_at"]?.stringValue)
            #expect(created.json["updated_at"]?.stringValue == createdAt)
            #expect(ISO8601DateFormatter.withFractions.date(from: createdAt) != nil || ISO8601DateFormatter().date(from: createdAt) != nil,
                    "\(createdAt) is not RFC 3339")
            let key = try #require(setting.key ?? created.id)
            if setting.key == nil { #expect(key.hasPrefix("cat_")) }
            let path = "\(base)/\(key)"

            // When: read and listed
            let read = try await api.get(path)
            let list = try await api.get(base + "?limit=200")
            // Then
            #expect(read.status == .ok)
            #expect(read.json == created.json)
            #expect(list.data.contains(created.json))

            // When: merge-patched
            let patched = try await api.patch(path, setting.patch, ifMatch: "\"1\"")
            // Then
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.version == 2)
            #expect(patched.json[setting.changed.pointer] == setting.changed.value, "\(patched.text)")
            #expect(patched.json[setting.kept.pointer] == setting.kept.value, "\(patched.text)")
            #expect(patched.json["created_at"]?.stringValue == createdAt)
            #expect(try await api.get(path).json == patched.json)

            // When: deleted
            let deleted = try await api.delete(path, ifMatch: "\"2\"")
            // Then
            if let problem = setting.deleteProblem {
                expectProblem(deleted, .conflict, problem)
                #expect(try await api.get(path).status == .ok)
            } else {
                #expect(deleted.status == .noContent, "\(deleted.text)")
                expectProblem(try await api.get(path), .notFound, "not_found")
                #expect(!(try await api.get(base + "?limit=200").data.contains(patched.json)))
            }
        }
    }

    @Test(arguments: ["locales", "channels", "stock-locations", "attributes", "product-types"])
    func aSecondResourceWithTheSameCodeIsAConflict(collection: String) async throws {
        try await withAPI { api in
            // Given
            let body = SettingsCase.all.first { $0.collection == collection }!.create
            #expect(try await api.post("/admin/v1/\(collection)", body).status == .created)
            // When
            let again = try await api.post("/admin/v1/\(collection)", body)
            // Then
            expectProblem(again, .conflict, "already_exists")
            #expect(try await api.get("/admin/v1/\(collection)/\(SettingsCase.all.first { $0.collection == collection }!.key!)").version == 1)
        }
    }

    @Test func readOnlyMembersOfACreateAreIgnored() async throws {
        try await withAPI { api in
            // When
            let created = try await api.post("/admin/v1/locales",
                                             #"{"code":"fr-FR","name":"Français","version":7,"created_at":"2001-01-01T00:00:00Z","updated_at":"2001-01-01T00:00:00Z"}"#)
            // Then
            #expect(created.status == .created, "\(created.text)")
            #expect(created.version == 1)
            #expect(created.json["created_at"] != .string("2001-01-01T00:00:00Z"))
        }
    }

    @Test func settingsInUseCannotBeDeleted() async throws {
        try await withAPI { api in
            // Given: the fixtures' channels serve en-US, tshirt requires web and uses rating; a product is a tshirt
            try await api.createProduct(Fixtures.productBody("a"))
            let before = try await api.snapshot()
            // When
            let locale = try await api.delete("/admin/v1/locales/en-US")
            let channel = try await api.delete("/admin/v1/channels/web")
            let attribute = try await api.delete("/admin/v1/attributes/rating")
            let axis = try await api.delete("/admin/v1/attributes/size")
            let type = try await api.delete("/admin/v1/product-types/tshirt")
            // Then
            for (name, response) in [("locale", locale), ("channel", channel), ("attribute", attribute), ("axis", axis), ("type", type)] {
                expectProblem(response, .conflict, "in_use", name)
            }
            #expect(try await api.snapshot() == before)
        }
    }

    @Test func aCategoryWithChildrenCannotBeDeleted() async throws {
        try await withAPI { api in
            // Given
            let parent = try #require(try await api.post("/admin/v1/categories", #"{"names":{"en-US":"Apparel"},"slug":{"en-US":"apparel"}}"#).id)
            let child = try await api.post("/admin/v1/categories", #"{"names":{"en-US":"Tees"},"slug":{"en-US":"tees"},"parent_id":"\#(parent)"}"#)
            #expect(child.status == .created, "\(child.text)")
            // When
            let response = try await api.delete("/admin/v1/categories/\(parent)")
            // Then
            expectProblem(response, .conflict, "has_children")
            #expect(try await api.get("/admin/v1/categories/\(parent)").status == .ok)
        }
    }

    @Test func categoryRules() async throws {
        try await withAPI { api in
            // Given
            let apparel = try #require(try await api.post("/admin/v1/categories", #"{"names":{"en-US":"Apparel"},"slug":{"en-US":"apparel"}}"#).id)
            let tees = try #require(try await api.post("/admin/v1/categories",
                                                       #"{"names":{"en-US":"Tees"},"slug":{"en-US":"tees"},"parent_id":"\#(apparel)"}"#).id)
            // When
            let duplicateSlug = try await api.post("/admin/v1/categories", #"{"names":{"en-US":"Apparel 2"},"slug":{"en-US":"apparel"}}"#)
            let unknownParent = try await api.post("/admin/v1/categories",
                                                   #"{"names":{"en-US":"X"},"slug":{"en-US":"x"},"parent_id":"cat_\#(String(repeating: "0", count: 26))"}"#)
            let unknownLocale = try await api.post("/admin/v1/categories", #"{"names":{"fr-FR":"Chaussures"},"slug":{"fr-FR":"chaussures"}}"#)
            let badSlug = try await api.post("/admin/v1/categories", #"{"names":{"en-US":"Bad"},"slug":{"en-US":"Bad Slug"}}"#)
            let cycle = try await api.patch("/admin/v1/categories/\(apparel)", #"{"parent_id":"\#(tees)"}"#)
            // Then
            expectValidation(duplicateSlug, [.init("/slug/en-US", "duplicate_slug")], exactly: true)
            expectValidation(unknownParent, [.init("/parent_id", "unknown_category")], exactly: true)
            expectValidation(unknownLocale, [.init("/names/fr-FR", "unknown_locale"), .init("/slug/fr-FR", "unknown_locale")], exactly: true)
            expectValidation(badSlug, [.init("/slug/en-US", "invalid_slug")], exactly: true)
            expectValidation(cycle, [.init("/parent_id", "cycle")], exactly: true)
            #expect(try await api.get("/admin/v1/categories").data.count == 2)
        }
    }

    @Test func newSettingsTakeEffectForTheNextProduct() async throws {
        try await withAPI { api in
            // Given: French is not a locale yet, xl not a size
            let body = try productJSON("a")
                .setting("/values/name/1", to: .object(["locale": .string("fr-FR"), "data": .string("Chemise")]))
                .setting("/variants/2/axes/size", to: .string("xl"))
            expectValidation(try await api.post("/admin/v1/products", body.text),
                             [.init("/values/name/1/locale", "unknown_locale"), .init("/variants/2/axes/size", "unknown_option")], exactly: true)
            // When
            #expect(try await api.post("/admin/v1/locales", #"{"code":"fr-FR","name":"Français"}"#).status == .created)
            #expect(try await api.patch("/admin/v1/attributes/size",
                                        #"{"options":[{"code":"s"},{"code":"m"},{"code":"l"},{"code":"xl"}]}"#).status == .ok)
            let response = try await api.post("/admin/v1/products", body.text)
            // Then
            #expect(response.status == .created, "\(response.text)")
        }
    }

    @Test func aChannelOnlyServesKnownLocales() async throws {
        try await withAPI { api in
            // When
            let unknown = try await api.patch("/admin/v1/channels/voice", #"{"locales":["en-US","fr-FR"]}"#)
            let missingDefault = try await api.patch("/admin/v1/channels/voice", #"{"locales":["de-DE"]}"#)
            // Then
            expectValidation(unknown, [.init("/locales/1", "unknown_locale")], exactly: true)
            expectValidation(missingDefault, [.init("/default_locale", "locale_not_in_channel")], exactly: true)
            #expect(try await api.get("/admin/v1/channels/voice").version == 1)
        }
    }
}
