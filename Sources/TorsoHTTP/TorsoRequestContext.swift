import Commerce
import Access
import Hummingbird
import NIOCore
import Publishing
import TorsoKit

/// What every context of Torso's routes offers: the body limit.
public protocol TorsoContext: RequestContext {
    /// The largest request body accepted, in bytes.
    var maxUploadSize: Int { get }
}

/// The per-request facts: who is calling (set by ``AuthMiddleware``) and the body limit.
public struct TorsoRequestContext: RequestContext, TorsoContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller, once ``AuthMiddleware`` has run.
    public var principal: Principal?
    /// The publishable key's channel as heads see it now, once ``StoreAuthMiddleware`` has run.
    public var snapshot: ChannelSnapshot?
    /// The cap on units this client may hold, set by ``RateLimitMiddleware`` on checkout routes.
    public var holdLimit: CartCaller.HoldLimit?
    /// The signed-in person of a back-office page, once ``BackOfficeSessionMiddleware`` has run.
    public var person: BackOfficePerson?
    /// The largest request body accepted, in bytes.
    public var maxUploadSize: Int
    /// The connection the request came on; its peer's address is read only when a rate limit
    /// asks (most requests never do).
    let connection: any NIOCore.Channel

    /// The connection's peer address (`nil` in in-process tests).
    public var peer: SocketAddress? { connection.remoteAddress }

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.snapshot = nil
        self.person = nil
        self.maxUploadSize = HTTPLimits.maxBodySize
        self.connection = source.channel
    }

    /// The caller, who must hold `scope`; 401 without a key, 403 without the scope.
    public func require(_ scope: Scope) throws -> Principal {
        guard let principal else {
            throw DomainError(.unauthenticated, code: "unauthenticated", detail: "Send an API key as 'Authorization: Bearer <key>'.")
        }
        try principal.require(scope)
        return principal
    }
}

/// Limits of the HTTP surface.
public enum HTTPLimits {
    /// The largest request body, 1 MiB: a product with hundreds of variants fits.
    public static let maxBodySize = 1 << 20
}
