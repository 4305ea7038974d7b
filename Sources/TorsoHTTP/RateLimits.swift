/// The store API's rate limits: token buckets per client address and per publishable key on
/// the routes an attacker would hammer — login, registration, cart creation and completion (also
/// per cart) — and, when set, on all store traffic. 429 `rate_limited` with `Retry-After`.
public struct RateLimits: Sendable, Hashable {
    /// Logins per client address (and ten times as many per key).
    public var login: RateLimiter.Rule?
    /// Registrations per client address (and ten times as many per key).
    public var registration: RateLimiter.Rule?
    /// New carts per client address (and ten times as many per key).
    public var cartCreation: RateLimiter.Rule?
    /// Completions per client address (and ten times as many per key) and per cart.
    public var completion: RateLimiter.Rule?
    /// Completions of one cart: declines cannot be tried card after card.
    public var completionPerCart: RateLimiter.Rule?
    /// Every store request per client address; off unless set (heads behind one proxy share an
    /// address).
    public var storeTraffic: RateLimiter.Rule?

    /// The defaults: generous for people, tight for scripts.
    public static let standard = RateLimits(
        login: .init(10, per: 60), registration: .init(5, per: 60), cartCreation: .init(60, per: 60),
        completion: .init(20, per: 60), completionPerCart: .init(5, per: 60), storeTraffic: nil)
    /// No limits (benchmarks, tests that are about something else).
    public static let off = RateLimits(login: nil, registration: nil, cartCreation: nil, completion: nil, completionPerCart: nil,
                                       storeTraffic: nil)

    /// Creates limits.
    public init(login: RateLimiter.Rule?, registration: RateLimiter.Rule?, cartCreation: RateLimiter.Rule?,
                completion: RateLimiter.Rule?, completionPerCart: RateLimiter.Rule?, storeTraffic: RateLimiter.Rule?) {
        self.login = login
        self.registration = registration
        self.cartCreation = cartCreation
        self.completion = completion
        self.completionPerCart = completionPerCart
        self.storeTraffic = storeTraffic
    }
}
