import Access
import Hummingbird
import TorsoKit
import Workflows

extension KeyService {
    /// The principal of the request's `Authorization: Bearer <key>`; 401 `unauthenticated`
    /// without the header (`hint` says what to send), 401 `invalid_key` for a malformed,
    /// unknown or revoked key.
    func principal(of request: Request, hint: String, queryKey: Bool = false) async throws -> Principal {
        guard let header = request.headers[.authorization] else {
            // Browsers' EventSource cannot send headers: the live feed also takes `?key=pk_…`.
            if queryKey, let key = request.uri.queryParameters["key"], key.hasPrefix("sk_") {
                // Refused without looking it up: a secret key in a URL ends up in logs and histories.
                throw DomainError(.forbidden, code: "publishable_key_required",
                                  detail: "The storefront API takes publishable keys (pk_…); never put a secret key in a URL.")
            }
            if queryKey, let key = request.uri.queryParameters["key"], key.hasPrefix("pk_") {
                guard let principal = try await authenticate(String(key)) else {
                    throw DomainError(.unauthenticated, code: "invalid_key", detail: "The API key is unknown or revoked.")
                }
                return principal
            }
            throw DomainError(.unauthenticated, code: "unauthenticated", detail: hint)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", let principal = try await authenticate(String(parts[1])) else {
            throw DomainError(.unauthenticated, code: "invalid_key", detail: "The API key is unknown or revoked.")
        }
        return principal
    }
}
