import Access
import Foundation
import HTTPTypes
import Hummingbird
import TorsoKit
import Workflows

/// The back office's API keys, for those who may manage access (`keys:write`): every key with
/// its kind, scopes and channel (never a secret), a form that creates one and shows its secret
/// once, and revoking (a key that can do more than the person stays).
struct KeyPages: Sendable {
    let keys: KeyService
    let queries: CatalogQueries

    func addRoutes(to router: some RouterMethods<TorsoRequestContext>) {
        router.get("keys", use: list)
        router.post("keys", use: create)
        router.post("keys/:id/revoke", use: revoke)
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedInWithoutLimits(.keysWrite)
        let done = request.uri.queryParameters["done"].map(String.init)
        return BackOfficeResponse.page(try await page(person: person, notice: done == "revoked" ? "\(BackOfficeText(person.language)["revoked"])." : nil))
    }

    func page(person: BackOfficePerson, notice: Markup? = nil, problem: Markup? = nil, status: HTTPResponse.Status = .ok) async throws -> Markup {
        let text = BackOfficeText(person.language)
        let all = try await keys.list(PageRequest(limit: 200)).data
        let rows = Markup.join(all.map { key in
            let revoke: Markup = key.revokedAt != nil ? "\(text["revoked"]) \(String(key.revokedAt?.prefix(10) ?? ""))" : """
                <form method="post" action="/admin/keys/\(key.id.rawValue)/revoke"><input type="hidden" name="csrf" value="\(person.session.csrf)">
                <button type="submit" class="quiet" id="revoke-\(key.id.rawValue)">\(text["revoke"])</button></form>
                """
            return """
                <tr><td>\(key.name)</td><td>\(key.kind.rawValue)</td><td><code>\(key.hint)</code></td>
                <td>\(key.scopes.map(\.rawValue).joined(separator: ", "))</td><td>\(key.channel)</td><td>\(String(key.createdAt.prefix(10)))</td><td>\(revoke)</td></tr>
                """
        })
        let scopes = Markup.join(Scope.allCases.filter { person.user.role.scopes.contains($0) }.map { scope in
            "<label class=\"check\"><input type=\"checkbox\" name=\"scopes\" value=\"\(scope.rawValue)\"> \(scope.rawValue)</label>"
        })
        let channels = Markup.join(try await queries.catalogContext().channels.keys.sorted().map { "<option value=\"\($0)\">\($0)</option>" })
        return BackOfficeLayout.page(title: text["keys"], person: person, current: "/admin/keys", body: """
            <h1>\(text["keys"])</h1>\(BackOfficeLayout.messages(notice: notice.map { "\($0)" }, problem: problem.map { "\($0)" }))
            <table><thead><tr><th>\(text["name"])</th><th>\(text["kind"])</th><th></th><th>\(text["scopes"])</th><th>\(text["channel"])</th>
            <th>\(text["created_at"])</th><th></th></tr></thead><tbody>\(rows)</tbody></table>
            <h2>\(text["create_key"])</h2>
            <form method="post" action="/admin/keys" class="panel"><input type="hidden" name="csrf" value="\(person.session.csrf)">
            <div class="row"><div><label for="key-name">\(text["name"])</label><input type="text" id="key-name" name="name" required maxlength="200"></div>
            <div><label for="key-kind">\(text["kind"])</label><select id="key-kind" name="kind"><option value="secret">\(text["secret_key"])</option>
            <option value="publishable">\(text["publishable_key"])</option></select></div>
            <div><label for="key-channel">\(text["channel"])</label><select id="key-channel" name="channel"><option value=""></option>\(channels)</select></div></div>
            <fieldset><legend>\(text["scopes"])</legend>\(scopes)</fieldset>
            <p><button type="submit" id="key-create">\(text["create_key"])</button></p></form>
            """)
    }

    /// Creates a key with scopes the person holds; the page shows its secret once.
    @Sendable func create(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedInWithoutLimits(.keysWrite)
        let text = BackOfficeText(person.language)
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 64 * 1_024))
        guard let kind = APIKey.Kind(rawValue: form["kind"] ?? "secret") else {
            return BackOfficeResponse.page(try await page(person: person, problem: "\(text["kind"]): '\(form["kind"] ?? "")'?"), status: .unprocessableContent)
        }
        let asked = form.all("scopes")
        let scopes = Set(asked.compactMap(Scope.init(rawValue:)))
        let beyond = asked.filter { Scope(rawValue: $0).map { !person.user.role.scopes.contains($0) } ?? true }
        guard beyond.isEmpty else {
            return BackOfficeResponse.page(try await page(person: person, problem: "\(text["scopes"]): \(beyond.joined(separator: ", "))"), status: .forbidden)
        }
        do {
            let channel = form["channel"].flatMap { $0.isEmpty ? nil : $0 }
            let (key, secret) = try await keys.create(name: String((form["name"] ?? "").prefix(200)), kind: kind,
                                                      scopes: kind == .secret ? scopes : [], channel: kind == .publishable ? channel : nil)
            let notice: Markup = """
                \(key.name): \(text["key_secret"])
                <input type="text" readonly id="new-secret" value="\(secret)" aria-label="\(key.name)">
                """
            return BackOfficeResponse.page(try await page(person: person, notice: notice), status: .created)
        } catch let error as DomainError {
            return BackOfficeResponse.page(try await page(person: person, problem: "\(error.pageMessage)"),
                                           status: HTTPResponse.Status(code: Problem(error).status))
        }
    }

    @Sendable func revoke(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedInWithoutLimits(.keysWrite)
        try await keys.revoke(try context.parameters.require("id"), by: person.user.role.scopes)
        return BackOfficeResponse.redirect("/admin/keys?done=revoked")
    }
}
