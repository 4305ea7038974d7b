/// The store API's rate limits: token buckets per client address and per publishable key on
/// the routes an attacker would hammer — login, registration, cart creation, checkout (holds),
/// completion (also per cart) and handoff claims — and, when set, on all store traffic. 429
/// `rate_limited` with `Retry-After`.
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
    /// Checkouts (each holds a cart's stock for up to 15 minutes) per client address.
    public var checkout: RateLimiter.Rule?
    /// Handoff claims per client address: codes cannot be guessed by trying.
    public var claim: RateLimiter.Rule?
    /// Units one client address may hold at once over all its carts (checkout holds).
    public var holdsPerClient: Int?
    /// Live streams (the channel feed, a cart's stream) open at once per client address.
    public var streamsPerClient: Int?
    /// Live streams open at once per publishable key.
    public var streamsPerKey: Int?
    /// Every store request per client address; off unless set (heads behind one proxy share an
    /// address).
    public var storeTraffic: RateLimiter.Rule?

    /// The defaults: generous for people, tight for scripts.
    public static let standard = RateLimits(
        login: .init(10, per: 60), registration: .init(5, per: 60), cartCreation: .init(60, per: 60),
        completion: .init(20, per: 60), completionPerCart: .init(5, per: 60), checkout: .init(30, per: 60), claim: .init(10, per: 60),
        streamsPerClient: 20, streamsPerKey: 10_000, holdsPerClient: 500, storeTraffic: nil)
    /// No limits (benchmarks, tests that are about something else).
    public static let off = RateLimits(login: nil, registration: nil, cartCreation: nil, completion: nil, completionPerCart: nil,
                                       checkout: nil, claim: nil, streamsPerClient: nil, streamsPerKey: nil, holdsPerClient: nil,
                                       storeTraffic: nil)

    /// Creates limits.
    public init(login: RateLimiter.Rule?, registration: RateLimiter.Rule?, cartCreation: RateLimiter.Rule?,
                completion: RateLimiter.Rule?, completionPerCart: RateLimiter.Rule?, checkout: RateLimiter.Rule? = nil,
                claim: RateLimiter.Rule? = nil, streamsPerClient: Int? = nil, streamsPerKey: Int? = nil, holdsPerClient: Int? = nil,
                storeTraffic: RateLimiter.Rule?) {
        self.login = login
        self.registration = registration
        self.cartCreation = cartCreation
        self.completion = completion
        self.completionPerCart = completionPerCart
        self.checkout = checkout
        self.claim = claim
        self.streamsPerClient = streamsPerClient
        self.streamsPerKey = streamsPerKey
        self.holdsPerClient = holdsPerClient
        self.storeTraffic = storeTraffic
    }
}
