import Access
import Foundation
import HTTPTypes
import Hummingbird
import TorsoKit
import Workflows

/// One kind of setting the back office lists and edits (attributes, product types, price lists,
/// promotions, shipping methods, tax rates), over its admin service.
public struct SettingsKind: Sendable {
    /// Its path under `/admin/settings` and the word for it.
    let path: String, word: String
    let list: @Sendable () async throws -> [(key: String, version: Int, json: JSONValue)]
    let create: @Sendable (JSONValue, WriteContext) async throws -> Void
    let update: @Sendable (String, JSONValue, Int, WriteContext) async throws -> Void

    /// A kind at `/admin/settings/PATH`, named by the back office's word `word`, over `service`.
    public init<Policy: ResourcePolicy>(_ path: String, _ word: String, _ service: ResourceService<Policy>) {
        self.path = path
        self.word = word
        list = { try await service.list(PageRequest(limit: 1_000)).data.map { ($0.key, $0.version, try JSONCoding.tree($0)) } }
        create = { body, context in _ = try await service.create(body, context: context) }
        update = { key, patch, version, context in _ = try await service.update(key, patch: patch, expectedVersion: version, context: context) }
    }
}

/// The back office's settings: each kind's list with a summary, and each setting as JSON to edit
/// (`settings:write`), saved at the version the page showed through the admin API's rules — for
/// the settings that have no form of their own yet.
struct SettingsPages: Sendable {
    let kinds: [SettingsKind]

    func addRoutes(to router: some RouterMethods<TorsoRequestContext>) {
        router.get("settings", use: overview)
        router.get("settings/:kind/:key", use: editor)
        router.post("settings/:kind", use: create)
        router.post("settings/:kind/:key", use: save)
    }

    func kind(_ context: TorsoRequestContext) throws -> SettingsKind {
        let path = try context.parameters.require("kind")
        guard let kind = kinds.first(where: { $0.path == path }) else { throw DomainError.notFound("setting", path) }
        return kind
    }

    @Sendable func overview(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.catalogRead)
        let text = BackOfficeText(person.language)
        var sections: [Markup] = []
        for kind in kinds {
            let items = try await kind.list()
            let rows = Markup.join(items.map { item in
                "<tr><td><a href=\"/admin/settings/\(kind.path)/\(item.key)\">\(item.key)</a></td><td>\(SettingsEditorPage.summary(item.json, person.language))</td></tr>"
            })
            let add: Markup = person.user.role.scopes.contains(.settingsWrite) ? """
                <details><summary>\(text["new_setting"])</summary><form method="post" action="/admin/settings/\(kind.path)">
                <input type="hidden" name="csrf" value="\(person.session.csrf)"><label for="new-\(kind.path)">JSON</label>
                <textarea id="new-\(kind.path)" name="json" class="code" rows="6">{}</textarea><p><button type="submit">\(text["create"])</button></p></form></details>
                """ : ""
            sections.append("<section id=\"settings-\(kind.path)\"><h2>\(text[kind.word])</h2><table><tbody>\(rows)</tbody></table>\(add)</section>")
        }
        return BackOfficeResponse.page(BackOfficeLayout.page(title: text["settings"], person: person, current: "/admin/settings", body: """
            <h1>\(text["settings"])</h1><p class="scope">\(text["settings_note"])</p>\(Markup.join(sections))
            """))
    }

    @Sendable func editor(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.catalogRead)
        let kind = try kind(context)
        let key = try context.parameters.require("key")
        guard let item = try await kind.list().first(where: { $0.key == key }) else { throw DomainError.notFound(kind.path, key) }
        let done = request.uri.queryParameters["done"] != nil
        return BackOfficeResponse.page(SettingsEditorPage(kind: kind, key: key, version: item.version, json: item.json, person: person)
            .render(notice: done ? BackOfficeText(person.language)["saved"] : nil, problem: nil, typed: nil))
    }

    @Sendable func create(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedInWithoutLimits(.settingsWrite)
        let kind = try kind(context)
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 256 * 1_024))
        do {
            let body = try JSONCoding.parse(Data((form["json"] ?? "").utf8))
            try await kind.create(body, WriteContext(principal: person.user.principal))
        } catch let error as DomainError {
            return BackOfficeResponse.problem(HTTPResponse.Status(code: Problem(error).status), SettingsEditorPage.describe(error), language: person.language)
        }
        return BackOfficeResponse.redirect("/admin/settings#settings-\(kind.path)")
    }

    /// Saves the edited JSON as a patch at the page's version; a refusal keeps what was typed.
    @Sendable func save(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedInWithoutLimits(.settingsWrite)
        let kind = try kind(context)
        let key = try context.parameters.require("key")
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 256 * 1_024))
        guard let item = try await kind.list().first(where: { $0.key == key }) else { throw DomainError.notFound(kind.path, key) }
        let page = SettingsEditorPage(kind: kind, key: key, version: item.version, json: item.json, person: person)
        guard let version = form["version"].flatMap({ Int($0) }) else {
            return BackOfficeResponse.page(page.render(notice: nil, problem: BackOfficeText(person.language)["reload"], typed: form["json"]),
                                           status: .unprocessableContent)
        }
        do {
            guard case .object(var members) = try JSONCoding.parse(Data((form["json"] ?? "").utf8)) else {
                throw DomainError.validation([FieldError(pointer: "", code: "invalid_type", detail: "Expected a JSON object.")])
            }
            // What the server keeps itself is not the person's to send.
            for field in ["version", "created_at", "updated_at"] { members[field] = nil }
            try await kind.update(key, .object(members), version, WriteContext(principal: person.user.principal))
        } catch let error as DomainError {
            return BackOfficeResponse.page(page.render(notice: nil, problem: SettingsEditorPage.describe(error), typed: form["json"]),
                                           status: HTTPResponse.Status(code: Problem(error).status))
        }
        return BackOfficeResponse.redirect("/admin/settings/\(kind.path)/\(key)?done=saved")
    }
}
