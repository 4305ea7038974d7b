import Commerce
import Access
import Hummingbird
import Publishing
import TorsoKit

/// The per-request facts of a storefront route, narrowed from ``TorsoRequestContext`` once
/// ``StoreAuthMiddleware`` has checked the key: the publishable key's principal, its channel and
/// the channel's snapshot as of this request are never absent, so handlers read them one way.
public struct StoreRequestContext: ChildRequestContext, TorsoContext {
    public var coreContext: CoreRequestContextStorage
    /// The publishable key's principal.
    public let principal: Principal
    /// The channel the key is bound to.
    public let channel: String
    /// The channel's published catalog, as of this request.
    public let snapshot: ChannelSnapshot
    /// The largest request body accepted, in bytes.
    public var maxUploadSize: Int
    /// The cap on units this client may hold (checkout routes, with holds capped).
    public var holdLimit: CartCaller.HoldLimit?

    /// Narrows the context; 403 `publishable_key_required` for anything but a publishable key.
    public init(context: TorsoRequestContext) throws {
        guard let principal = context.principal, principal.kind == .publishable, let channel = principal.channel,
              let snapshot = context.snapshot else {
            throw DomainError(.forbidden, code: "publishable_key_required", detail: "The storefront API takes publishable keys (pk_…).")
        }
        self.coreContext = context.coreContext
        self.principal = principal
        self.channel = channel
        self.snapshot = snapshot
        self.maxUploadSize = context.maxUploadSize
        self.holdLimit = context.holdLimit
    }
}
