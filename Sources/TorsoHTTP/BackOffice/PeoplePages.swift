import Access
import Foundation
import HTTPTypes
import Hummingbird
import TorsoKit
import Workflows

/// The back office's people, for those who may manage access (`keys:write`: owners): who has
/// which role and limits, an invitation by link (the person sets their own password), and
/// removing someone (their sessions end with them).
struct PeoplePages: Sendable {
    let backOffice: BackOfficeService
    let queries: CatalogQueries

    func addRoutes(to router: some RouterMethods<TorsoRequestContext>) {
        router.get("users", use: list)
        router.post("users", use: invite)
        router.post("users/:id/remove", use: remove)
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedInWithoutLimits(.keysWrite)
        let done = request.uri.queryParameters["done"].map(String.init)
        return BackOfficeResponse.page(try await page(person: person, notice: done == "removed" ? "\(BackOfficeText(person.language)["removed"])" : nil))
    }

    func page(person: BackOfficePerson, notice: Markup? = nil, problem: Markup? = nil, typed: FormFields? = nil,
              status: HTTPResponse.Status = .ok) async throws -> Markup {
        let text = BackOfficeText(person.language)
        let users = try await backOffice.users()
        let catalog = try await queries.catalogContext()
        let rows = Markup.join(users.map { user in
            let remove: Markup = user.id == person.user.id ? "" : """
                <form method="post" action="/admin/users/\(user.id.rawValue)/remove"><input type="hidden" name="csrf" value="\(person.session.csrf)">
                <button type="submit" class="quiet" id="remove-\(user.id.rawValue)">\(text["remove"])</button></form>
                """
            return """
                <tr><td>\(user.name)</td><td>\(user.email)</td><td>\(text["role." + user.role.rawValue])</td>
                <td>\((user.locales ?? []).joined(separator: ", "))</td><td>\((user.channels ?? []).joined(separator: ", "))</td><td>\(remove)</td></tr>
                """
        })
        func boxes(_ name: String, _ codes: [String]) -> Markup {
            Markup.join(codes.map { code in
                let ticked = typed?.all(name).contains(code) == true
                return "<label class=\"check\"><input type=\"checkbox\" name=\"\(name)\" value=\"\(code)\"\(ticked ? Markup(raw: " checked") : "")> \(code)</label>"
            })
        }
        let roles = Markup.join(AdminRole.allCases.map { role in
            "<option value=\"\(role.rawValue)\"\(typed?["role"] == role.rawValue ? Markup(raw: " selected") : "")>\(text["role." + role.rawValue])</option>"
        })
        return BackOfficeLayout.page(title: text["users"], person: person, current: "/admin/users", body: """
            <h1>\(text["users"])</h1>\(BackOfficeLayout.messages(notice: notice.map { "\($0)" }, problem: problem.map { "\($0)" }))
            <table><thead><tr><th>\(text["name"])</th><th>\(text["email"])</th><th>\(text["role"])</th><th>\(text["only_locales"])</th>
            <th>\(text["only_channels"])</th><th></th></tr></thead><tbody>\(rows)</tbody></table>
            <h2>\(text["invite"])</h2>
            <form method="post" action="/admin/users" class="panel"><input type="hidden" name="csrf" value="\(person.session.csrf)">
            <div class="row"><div><label for="invite-email">\(text["email"])</label><input type="email" id="invite-email" name="email" required value="\(typed?["email"])"></div>
            <div><label for="invite-name">\(text["name"])</label><input type="text" id="invite-name" name="name" required value="\(typed?["name"])"></div>
            <div><label for="invite-role">\(text["role"])</label><select id="invite-role" name="role">\(roles)</select></div></div>
            <fieldset><legend>\(text["only_locales"])</legend>\(boxes("locales", catalog.locales.sorted()))</fieldset>
            <fieldset><legend>\(text["only_channels"])</legend>\(boxes("channels", catalog.channels.keys.sorted()))</fieldset>
            <p><button type="submit" id="invite-send">\(text["invite"])</button></p></form>
            """)
    }

    /// Invites a person; the page shows the link once, to send them.
    @Sendable func invite(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedInWithoutLimits(.keysWrite)
        let text = BackOfficeText(person.language)
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 64 * 1_024))
        let catalog = try await queries.catalogContext()
        let locales = form.all("locales"), channels = form.all("channels")
        let unknown = locales.filter { !catalog.locales.contains($0) } + channels.filter { catalog.channels[$0] == nil }
        guard let role = form["role"].flatMap(AdminRole.init(rawValue:)), unknown.isEmpty else {
            let problem: Markup = "\(text["role"]) / \(text["only_locales"]): \(([form["role"] ?? ""] + unknown).joined(separator: ", "))"
            return BackOfficeResponse.page(try await page(person: person, problem: problem, typed: form), status: .unprocessableContent)
        }
        do {
            let (user, token) = try await backOffice.invite(email: form["email"] ?? "", name: form["name"] ?? "", role: role,
                                                            locales: locales.isEmpty ? nil : locales, channels: channels.isEmpty ? nil : channels)
            let scheme = request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https" ? "https" : "http"
            let link = "\(scheme)://\(request.head.authority ?? "127.0.0.1")/admin/invite/\(token)"
            let notice: Markup = """
                \(text["invited"]) \(user.name) (\(user.email)). \(text["send_link"])
                <input type="text" readonly id="invite-link" value="\(link)" aria-label="\(text["invite_link"])">
                """
            return BackOfficeResponse.page(try await page(person: person, notice: notice))
        } catch let error as DomainError {
            return BackOfficeResponse.page(try await page(person: person, problem: "\(error.pageMessage)", typed: form),
                                           status: HTTPResponse.Status(code: Problem(error).status))
        }
    }

    @Sendable func remove(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedInWithoutLimits(.keysWrite)
        do {
            try await backOffice.removeUser(try context.parameters.require("id"), by: person.user.id.rawValue)
        } catch let error as DomainError where error.code == "validation_failed" {
            return BackOfficeResponse.page(try await page(person: person, problem: "\(error.errors.first?.detail ?? error.detail)"), status: .unprocessableContent)
        }
        return BackOfficeResponse.redirect("/admin/users?done=removed")
    }
}
