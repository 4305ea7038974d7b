import Access
import Foundation
import HTTPTypes
import Testing
import TorsoKit
import TorsoTestSupport

/// The product editor's preview, its publication at a time and its select lists, in process on
/// both databases: what each head would show (and what it lacks), a publication scheduled for a
/// minute in UTC that is not live before it, a time that is none, option labels in the
/// person's language.
@Suite struct BackOfficeEditorTests {
    typealias Pages = BackOfficeTests

    @Test func theEditorPreviewsEachHeadSchedulesAPublicationAndLabelsItsOptions() async throws {
        try await withAPI { api in
            // A select attribute with labels, on the type
            #expect(try await api.post("/admin/v1/attributes",
                                       #"{"code":"fit","type":"select","labels":{"en-US":"Fit","de-DE":"Schnitt"},"options":[{"code":"slim","labels":{"en-US":"Slim","de-DE":"Schmal"}},{"code":"loose","labels":{"en-US":"Loose","de-DE":"Weit"}}]}"#).status
                    == .created)
            let type = try await api.get("/admin/v1/product-types/tshirt").json
            #expect(try await api.patch("/admin/v1/product-types/tshirt", #"{"attributes":["name","description","tagline","ean","rating","fit"]}"#,
                                        ifMatch: "\"\(type["version"]?.numberValue.map { Int($0) } ?? 1)\"").status == .ok)
            let body = try JSONValue.parse(Shop.completeProduct("prev", name: "Preview tee")).setting("/values/fit", to: .array([.object(["data": .string("slim")])]))
            let id = try #require(try await api.createProduct(String(decoding: body.jsonBytes(), as: UTF8.self)).json["id"]?.stringValue)
            _ = try await api.services.backOffice.createUser(email: "pub@shop.example", name: "Paul", role: .publisher, password: "correct horse 16")
            let paul = try await Pages.signIn(api, "pub@shop.example", "correct horse 16")
            var page = try await Pages.get(api, "/admin/products/\(id)", cookie: paul.cookie).text
            // The preview: web shows the name and description, voice its tagline for voice
            let web = try #require(page.range(of: "id=\"preview-web\"").map { String(page[$0.lowerBound...].prefix(1_500)) })
            #expect(web.contains("Preview tee") && web.contains("Soft linen Preview tee."), "\(web)")
            let voice = try #require(page.range(of: "id=\"preview-voice\"").map { String(page[$0.lowerBound...].prefix(1_500)) })
            #expect(voice.contains("A Preview tee for summer.") && !voice.contains("class=\"missing\""), "\(voice)")
            // The select shows labels, the code stays the value
            #expect(page.contains("<option value=\"slim\" selected>Slim</option>") && page.contains(">Loose</option>"), "\(page)")
            // A time that is none is refused; a minute in UTC schedules without going live
            let wrong = try await Pages.post(api, "/admin/products/\(id)/publish", [("csrf", paul.csrf), ("channels", "web"), ("at", "next friday")],
                                             cookie: paul.cookie)
            #expect(wrong.status == .unprocessableContent)
            // Found from outside: a 30th of February and 24:00 rolled over; a past minute said "Scheduled"
            for impossible in ["2031-02-30T10:00", "2031-06-31T10:00", "2031-01-01T24:00"] {
                let refused = try await Pages.post(api, "/admin/products/\(id)/publish", [("csrf", paul.csrf), ("channels", "web"), ("at", impossible)],
                                                   cookie: paul.cookie)
                #expect(refused.status == .unprocessableContent, "\(impossible) → \(refused.status)")
            }
            let past = try await Pages.post(api, "/admin/products/\(id)/publish", [("csrf", paul.csrf), ("channels", "voice"), ("at", "2001-01-01T00:00")],
                                            cookie: paul.cookie)
            #expect(past.headers[.location]?.hasSuffix("done=published") == true, "\(past.headers[.location] ?? "")")
            let scheduled = try await Pages.post(api, "/admin/products/\(id)/publish", [("csrf", paul.csrf), ("channels", "web"), ("at", "2031-03-04T05:06")],
                                                 cookie: paul.cookie)
            #expect(scheduled.status == .seeOther && scheduled.headers[.location]?.hasSuffix("done=scheduled") == true, "\(scheduled.text.prefix(300))")
            let publication = try await api.get("/admin/v1/products/\(id)/publication").json
            let listing = try #require(publication["channels"]?.arrayValue?.first { $0["channel"] == .string("web") })
            #expect(listing["scheduled_at"] == .string("2031-03-04T05:06:00.000Z") && listing["published_at"] == .null, "\(listing)")
            page = try await Pages.get(api, "/admin/products/\(id)?done=scheduled", cookie: paul.cookie).text
            #expect(page.contains("Scheduled.") && page.contains("Scheduled 2031-03-04T05:06"))
            let dashboard = try await Pages.get(api, "/admin", cookie: paul.cookie).text
            let upcoming = try #require(dashboard.range(of: "id=\"scheduled\"").map { String(dashboard[$0.lowerBound...].prefix(800)) }, "\(dashboard)")
            #expect(upcoming.contains("2031-03-04 05:06 UTC") && upcoming.contains(id) && upcoming.contains("web"), "\(upcoming)")
            // A required value removed shows as missing in that head's card
            let version = try #require(try await api.get("/admin/v1/products/\(id)").json["version"]?.numberValue)
            let cleared = try await Pages.post(api, "/admin/products/\(id)", [("csrf", paul.csrf), ("version", String(Int(version))), ("v|tagline|en-US|voice", "")],
                                               cookie: paul.cookie)
            #expect(cleared.status == .seeOther, "\(cleared.text.prefix(300))")
            page = try await Pages.get(api, "/admin/products/\(id)", cookie: paul.cookie).text
            let emptied = try #require(page.range(of: "id=\"preview-voice\"").map { String(page[$0.lowerBound...].prefix(1_500)) })
            #expect(emptied.contains("class=\"missing\""), "\(emptied)")
        }
    }

    @Test func theEditorShowsWhatChangedSinceEachChannelsLiveCopy() async throws {
        try await withAPI { api in
            let id = try #require(try await api.createProduct(Shop.completeProduct("diff")).json["id"]?.stringValue)
            _ = try await api.services.backOffice.createUser(email: "ed@shop.example", name: "Dana", role: .catalogEditor, password: "correct horse 27")
            let dana = try await Pages.signIn(api, "ed@shop.example", "correct horse 27")
            #expect(try await api.post("/admin/v1/products/\(id)/publish", #"{"channels":["web"]}"#).status == .ok)
            #expect(!(try await Pages.get(api, "/admin/products/\(id)", cookie: dana.cookie).text.contains("staged-diff")), "live as staged: no differences")
            _ = try await api.patch("/admin/v1/products/\(id)", #"{"values":{"rating":[{"data":5}]}}"#)
            let page = try await Pages.get(api, "/admin/products/\(id)", cookie: dana.cookie).text
            let diff = try #require(page.range(of: "id=\"staged-diff\"").map { String(page[$0.lowerBound...].prefix { _ in true }.split(separator: "</div>")[0]) },
                                    "\(page)")
            #expect(diff.contains("/values/rating") && diff.contains("v1 → v2") && diff.contains("web"), "\(diff)")
            #expect(diff.contains("<td><code>/values/rating/0/data</code></td><td>4</td><td>5</td>"), "the live value and the staged one: \(diff)")
            #expect(!diff.contains("voice"), "voice has no live copy")
        }
    }
}
