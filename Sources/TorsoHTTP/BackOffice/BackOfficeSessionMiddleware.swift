import Access
import Foundation
import TorsoKit
import HTTPTypes
import Hummingbird
import Workflows

/// A person signed in to the back office, with their session and the language of their pages.
public struct BackOfficePerson: Sendable {
    /// Who.
    public var user: AdminUser
    /// The session (its CSRF token goes into every form).
    public var session: AdminSession
    /// The cookie's token, to sign out.
    public var token: String
    /// The language of the pages.
    public var language: BackOfficeLanguage
}

/// Signs the back office's pages in: a page without a live session cookie redirects to the
/// sign-in page (a form post gets 401); a form post whose `csrf` field is not the session's gets
/// 403, before any handler runs. The sign-in page and the assets are outside it.
struct BackOfficeSessionMiddleware: RouterMiddleware {
    typealias Context = TorsoRequestContext
    let backOffice: BackOfficeService
    /// The header a page's script sends its session's CSRF token in (a site cannot set it on a
    /// cross-site request without the server's leave).
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let language = BackOfficeLanguage(request)
        guard let token = request.cookies[BackOfficeCookies.session]?.value,
              let (session, user) = try await backOffice.session(token: token) else {
            if request.method == .get {
                let next = request.uri.path.hasPrefix("/admin") ? request.uri.path : "/admin"
                return BackOfficeResponse.redirect("/admin/sign-in?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            }
            return BackOfficeResponse.problem(.unauthorized, "Your session ended; sign in again.", language: language)
        }
        context.person = BackOfficePerson(user: user, session: session, token: token, language: language)
        // The person's role is what the admin API's handlers check, so pages may call them.
        context.principal = user.principal
        if request.method != .get && request.method != .head {
            if let sent = request.headers[Self.csrfHeader] {
                // A script's request (an upload): the token in a header, the body left unread.
                guard BackOfficeResponse.constantTimeEquals(sent, session.csrf) else {
                    throw DomainError(.forbidden, code: "csrf_refused", detail: BackOfficeText(language)["csrf_refused"])
                }
                return try await next(request, context)
            }
            var request = request
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            let form = FormFields(body)
            guard let sent = form["csrf"], BackOfficeResponse.constantTimeEquals(sent, session.csrf) else {
                return BackOfficeResponse.problem(.forbidden, BackOfficeText(language)["csrf_refused"], language: language)
            }
            return try await page(request, context, next)
        }
        return try await page(request, context, next)
    }

    /// Runs the page; a refusal (a role without the scope, an unknown product or order) is a page
    /// that says so, in the person's language, not the API's problem+json.
    private func page(_ request: Request, _ context: Context, _ next: (Request, Context) async throws -> Response) async throws -> Response {
        // A script asked: it reads problem+json.
        if request.headers[Self.csrfHeader] != nil || request.uri.path.hasSuffix("/status") { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as DomainError {
            let text = BackOfficeText(context.person?.language ?? .en)
            let message = error.code == "missing_scope" ? text["not_allowed"] : error.code == "not_found" ? text["not_found"] : error.detail
            return BackOfficeResponse.problem(HTTPResponse.Status(code: Problem(error).status), message, language: context.person?.language ?? .en)
        }
    }
}

/// The cookies of the back office.
public enum BackOfficeCookies {
    /// The session token: HttpOnly, SameSite=Strict, Secure behind TLS.
    public static let session = "torso_session"
    /// The language chosen (`en` or `de`).
    public static let language = "torso_lang"
}
