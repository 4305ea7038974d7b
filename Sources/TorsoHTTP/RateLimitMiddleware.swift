import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TorsoKit

/// Applies ``RateLimits`` to the store API, after the key is known. The client address is the
/// connection's peer, or the first `X-Forwarded-For` entry when the server is told to trust it
/// (behind a proxy of the operator's).
public struct RateLimitMiddleware: RouterMiddleware {
    public typealias Context = TorsoRequestContext
    let limits: RateLimits
    let limiter: RateLimiter
    let trustForwardedFor: Bool

    /// Creates the middleware.
    public init(limits: RateLimits, limiter: RateLimiter = RateLimiter(), trustForwardedFor: Bool = false) {
        self.limits = limits
        self.limiter = limiter
        self.trustForwardedFor = trustForwardedFor
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let limited = route(request)
        // Most requests (catalog reads) meet no limit: they pay for no lookup at all.
        guard limits.storeTraffic != nil || limited?.1 != nil else { return try await next(request, context) }
        let client = clientAddress(request, context)
        let key = context.principal?.keyId.rawValue ?? "-"
        var checks: [(bucket: String, rule: RateLimiter.Rule)] = []
        if let rule = limits.storeTraffic { checks.append(("store|" + client, rule)) }
        if let (name, rule) = limited, let rule {
            checks.append(("\(name)|\(client)", rule))
            checks.append(("\(name)|key|\(key)", RateLimiter.Rule(rule.capacity * 10, per: rule.capacity * 10 / rule.perSecond)))
            if name == "complete", let perCart = limits.completionPerCart {
                checks.append(("complete|cart|" + request.uri.path, perCart))
            }
        }
        for check in checks {
            if let wait = limiter.take(check.bucket, rule: check.rule) {
                let seconds = max(1, Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up)))
                var response = Problem(status: .tooManyRequests, code: "rate_limited",
                                       detail: "Too many requests; try again in \(seconds) s.").response()
                response.headers[.retryAfter] = String(seconds)
                return response
            }
        }
        return try await next(request, context)
    }

    /// The limited route a request is on, if any.
    func route(_ request: Request) -> (String, RateLimiter.Rule?)? {
        guard request.method == .post else { return nil }
        let path = request.uri.path
        switch path {
        case "/store/v1/customers/login": return ("login", limits.login)
        case "/store/v1/customers": return ("register", limits.registration)
        case "/store/v1/carts": return ("cart", limits.cartCreation)
        default: return path.hasPrefix("/store/v1/carts/") && path.hasSuffix("/complete") ? ("complete", limits.completion) : nil
        }
    }

    func clientAddress(_ request: Request, _ context: Context) -> String {
        if trustForwardedFor, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]?.split(separator: ",").first {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return context.peer?.ipAddress ?? "local"
    }
}
