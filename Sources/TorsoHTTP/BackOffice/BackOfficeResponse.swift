import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TorsoKit

/// Answers of the back office: pages, redirects and problems as HTML, never cached, never framed.
enum BackOfficeResponse {
    /// A page.
    static func page(_ markup: Markup, status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            HTTPField.Name("X-Frame-Options")!: "DENY", HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Content-Security-Policy")!: "default-src 'self'; img-src 'self' https: data:; frame-ancestors 'none'; form-action 'self'",
            HTTPField.Name("Referrer-Policy")!: "same-origin",
        ]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: markup.html)))
    }

    /// 303 to `location` (a path of this server).
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location.hasPrefix("/") && !location.hasPrefix("//") ? location : "/admin", .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    /// A page that says what went wrong.
    static func problem(_ status: HTTPResponse.Status, _ message: String, language: BackOfficeLanguage) -> Response {
        page(BackOfficeLayout.bare(title: "\(status.code) \(status.reasonPhrase)", language: language, body: """
            <main class="narrow"><h1>\(status.reasonPhrase)</h1><p class="error" role="alert">\(message)</p>
            <p><a href="/admin">Torso</a></p></main>
            """), status: status)
    }

    /// A cookie for the session: HttpOnly, SameSite=Strict, Secure when the request came over TLS.
    static func sessionCookie(_ token: String, secure: Bool, maxAge: Int) -> String {
        "\(BackOfficeCookies.session)=\(token); Path=/admin; HttpOnly; SameSite=Strict; Max-Age=\(maxAge)" + (secure ? "; Secure" : "")
    }

    /// Compares two secrets in time that does not depend on where they differ.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension DomainError {
    /// What a page says of a refusal: each field's detail, or the problem's when there are none.
    var pageMessage: String {
        let details = errors.map(\.detail).joined(separator: " ")
        return details.isEmpty ? detail : details
    }
}
