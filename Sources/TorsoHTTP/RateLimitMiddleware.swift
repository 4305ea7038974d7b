import Commerce
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
    let streams: StreamSlots

    /// Creates the middleware.
    public init(limits: RateLimits, limiter: RateLimiter = RateLimiter(), streams: StreamSlots = StreamSlots(), trustForwardedFor: Bool = false) {
        self.limits = limits
        self.limiter = limiter
        self.streams = streams
        self.trustForwardedFor = trustForwardedFor
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .get, limits.streamsPerClient != nil || limits.streamsPerKey != nil,
           StoreAuthMiddleware.isStream(request.uri.path) {
            return try await stream(request, context: context, next: next)
        }
        var context = context
        if let cap = limits.holdsPerClient, request.method == .post, request.uri.path.hasPrefix("/store/v1/carts/"),
           request.uri.path.hasSuffix("/checkout") || request.uri.path.hasSuffix("/complete") {
            context.holdLimit = CartCaller.HoldLimit(client: clientAddress(request, context), cap: cap)
        }
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

    /// A live stream, if the client and the key have a slot left: the slot is held until the
    /// stream's response is done with. 429 `too_many_streams` otherwise.
    func stream(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var buckets: [(name: String, cap: Int)] = []
        if let cap = limits.streamsPerClient { buckets.append(("client|" + clientAddress(request, context), cap)) }
        if let cap = limits.streamsPerKey { buckets.append(("key|" + (context.principal?.keyId.rawValue ?? "-"), cap)) }
        guard let slot = streams.take(buckets) else {
            var response = Problem(status: .tooManyRequests, code: "too_many_streams",
                                   detail: "Too many live streams are open from here or with this key; close one first.").response()
            response.headers[.retryAfter] = "5"
            return response
        }
        var response = try await next(request, context)
        let body = response.body
        response.body = ResponseBody { writer in
            defer { _ = slot }
            try await body.write(writer)
        }
        return response
    }

    /// The limited route a request is on, if any.
    func route(_ request: Request) -> (String, RateLimiter.Rule?)? {
        guard request.method == .post else { return nil }
        let path = request.uri.path
        switch path {
        case "/store/v1/customers/login": return ("login", limits.login)
        case "/store/v1/customers": return ("register", limits.registration)
        case "/store/v1/carts": return ("cart", limits.cartCreation)
        case "/store/v1/carts/claim": return ("claim", limits.claim)
        default:
            guard path.hasPrefix("/store/v1/carts/") else { return nil }
            if path.hasSuffix("/complete") { return ("complete", limits.completion) }
            return path.hasSuffix("/checkout") ? ("checkout", limits.checkout) : nil
        }
    }

    func clientAddress(_ request: Request, _ context: Context) -> String {
        if trustForwardedFor, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]?.split(separator: ",").first {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return context.peer?.ipAddress ?? "local"
    }
}
