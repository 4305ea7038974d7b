import Foundation
import HTTPTypes
import Hummingbird
import Workflows

/// Signing in and out of the back office. Sign-in is throttled per client and per e-mail; a
/// wrong e-mail and a wrong password answer the same, in the same time.
struct SignInController: Sendable {
    let backOffice: BackOfficeService
    let limiter = RateLimiter()
    /// Attempts per client address and per e-mail: 10 a minute.
    static let rule = RateLimiter.Rule(10, per: 60)

    func addRoutes(to router: some RouterMethods<TorsoRequestContext>) {
        router.get("sign-in", use: form)
        router.post("sign-in", use: signIn)
    }

    func addSignedInRoutes(to router: some RouterMethods<TorsoRequestContext>) {
        router.post("sign-out", use: signOut)
    }

    @Sendable func form(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        BackOfficeResponse.page(page(BackOfficeLanguage(request), next: request.uri.queryParameters["next"].map(String.init) ?? "/admin", email: "", error: nil))
    }

    @Sendable func signIn(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        var request = request
        let language = BackOfficeLanguage(request)
        let text = BackOfficeText(language)
        let form = FormFields(try await request.collectBody(upTo: 64 * 1_024))
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let next = form["next"].flatMap { $0.hasPrefix("/admin") && !$0.hasPrefix("//") ? $0 : nil } ?? "/admin"
        let client = context.peer?.ipAddress ?? "local"
        if limiter.take("ip:" + client, rule: Self.rule) != nil || limiter.take("email:" + email, rule: Self.rule) != nil {
            return BackOfficeResponse.page(page(language, next: next, email: email, error: text["too_many_attempts"]), status: .tooManyRequests)
        }
        guard let (token, _, _) = try await backOffice.signIn(email: email, password: form["password"] ?? "") else {
            return BackOfficeResponse.page(page(language, next: next, email: email, error: text["wrong_password"]), status: .unauthorized)
        }
        let secure = request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https" || request.uri.scheme == .https
        return BackOfficeResponse.redirect(next, cookies: [
            BackOfficeResponse.sessionCookie(token, secure: secure, maxAge: Int(BackOfficeService.sessionLifetime)),
        ])
    }

    @Sendable func signOut(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        guard let person = context.person else { return BackOfficeResponse.redirect("/admin/sign-in") }
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 64 * 1_024))
        if form["everywhere"] == "1" {
            try await backOffice.signOutEverywhere(userId: person.user.id.rawValue)
        } else {
            try await backOffice.signOut(token: person.token)
        }
        return BackOfficeResponse.redirect("/admin/sign-in", cookies: [BackOfficeResponse.sessionCookie("", secure: false, maxAge: 0)])
    }

    func page(_ language: BackOfficeLanguage, next: String, email: String, error: String?) -> Markup {
        let text = BackOfficeText(language)
        let alert: Markup = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? ""
        return BackOfficeLayout.bare(title: text["sign_in"], language: language, body: """
            <main class="narrow"><h1>Torso · \(text["sign_in"])</h1>\(alert)
            <form method="post" action="/admin/sign-in"><input type="hidden" name="next" value="\(next)">
            <label for="email">\(text["email"])</label><input id="email" name="email" type="email" autocomplete="username" required value="\(email)" autofocus>
            <label for="password">\(text["password"])</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <p><button type="submit" id="sign-in">\(text["sign_in"])</button></p></form></main>
            """)
    }
}
