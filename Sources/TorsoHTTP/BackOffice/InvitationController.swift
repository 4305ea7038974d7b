import Access
import Foundation
import HTTPTypes
import Hummingbird
import TorsoKit
import Workflows

/// An invitation link: the invited person sets their password and is signed in. The token in the
/// path is the secret (single use, seven days); a used, expired or made-up one says so (410).
struct InvitationController: Sendable {
    let backOffice: BackOfficeService

    func addRoutes(to router: some RouterMethods<TorsoRequestContext>) {
        router.get("invite/:token", use: form)
        router.post("invite/:token", use: accept)
    }

    @Sendable func form(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let language = BackOfficeLanguage(request)
        let token = try context.parameters.require("token")
        // A used, expired or made-up link says so at once, not after a password is typed.
        guard try await backOffice.invitationIsOpen(token: token) else {
            return BackOfficeResponse.problem(.gone, BackOfficeText(language)["invitation_gone"], language: language)
        }
        return BackOfficeResponse.page(page(language, token: token, error: nil))
    }

    @Sendable func accept(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        var request = request
        let language = BackOfficeLanguage(request)
        let text = BackOfficeText(language)
        let token = try context.parameters.require("token")
        let form = FormFields(try await request.collectBody(upTo: 64 * 1_024))
        let password = form["password"] ?? ""
        guard password == form["repeat"] else {
            return BackOfficeResponse.page(page(language, token: token, error: text["passwords_differ"]), status: .unprocessableContent)
        }
        let accepted: (token: String, session: AdminSession, user: AdminUser)?
        do {
            accepted = try await backOffice.acceptInvitation(token: token, password: password)
        } catch let error as DomainError {
            return BackOfficeResponse.page(page(language, token: token, error: error.errors.first?.detail ?? error.detail), status: .unprocessableContent)
        }
        guard let accepted else {
            return BackOfficeResponse.problem(.gone, text["invitation_gone"], language: language)
        }
        let secure = request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https" || request.uri.scheme == .https
        return BackOfficeResponse.redirect("/admin", cookies: [
            BackOfficeResponse.sessionCookie(accepted.token, secure: secure, maxAge: Int(BackOfficeService.sessionLifetime)),
        ])
    }

    func page(_ language: BackOfficeLanguage, token: String, error: String?) -> Markup {
        let text = BackOfficeText(language)
        let alert: Markup = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? ""
        return BackOfficeLayout.bare(title: text["welcome"], language: language, body: """
            <main class="narrow"><h1>Torso · \(text["welcome"])</h1>\(alert)<p>\(text["choose_password"])</p>
            <form method="post" action="/admin/invite/\(token)">
            <label for="password">\(text["password"])</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="8">
            <label for="repeat">\(text["password_again"])</label><input id="repeat" name="repeat" type="password" autocomplete="new-password" required minlength="8">
            <p><button type="submit" id="accept">\(text["set_password"])</button></p></form></main>
            """)
    }
}
