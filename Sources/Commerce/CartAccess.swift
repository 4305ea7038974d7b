/// Who may use a cart: the holder of its token, and after a handoff, the screen that handed it
/// off, which may still read it. Only SHA-256 digests of the tokens are kept.
public struct CartAccess: Codable, Sendable, Equatable {
    /// The digest of the token that reads and changes the cart.
    public var writer: String
    /// Digests of tokens that may only read it (a billboard's after its cart was claimed).
    public var readers: [String]
    /// Whether the cart was ever handed off: its changes are then announced on its own stream.
    public var watched: Bool

    /// Access for the holder of the token with digest `writer`.
    public init(writer: String) {
        self.writer = writer
        readers = []
        watched = false
    }

    /// What a token digest may do with the cart.
    public func permission(of digest: String) -> CartPermission? {
        if digest == writer { return .write }
        return readers.contains(digest) ? .read : nil
    }

    /// A claim: `writer` becomes the only writer and the one before it may only read.
    public mutating func handOver(to writer: String) {
        readers = Array((readers + [self.writer]).suffix(4))
        self.writer = writer
    }
}

/// What a caller may do with a cart.
public enum CartPermission: Sendable, Comparable {
    /// Read it and follow its stream.
    case read
    /// Change it, check it out and complete it.
    case write
}

/// Who asks for a cart: the channel of the publishable key, the cart token the request carries
/// (`X-Cart-Token`) and the signed-in customer (`X-Customer-Token`), if any.
public struct CartCaller: Sendable, Equatable {
    /// The channel of the publishable key.
    public var channel: String
    /// The cart token sent.
    public var token: String?
    /// The customer whose session the request carries.
    public var customerId: String?
    /// The client's address and how many units it may hold at once, when holds are capped.
    public var holdLimit: HoldLimit?

    /// A cap on the units one client holds over all its carts.
    public struct HoldLimit: Sendable, Equatable {
        /// The client (its address).
        public var client: String
        /// Units it may hold at once.
        public var cap: Int

        /// Creates a limit.
        public init(client: String, cap: Int) {
            self.client = client
            self.cap = cap
        }
    }

    /// Creates a caller.
    public init(channel: String, token: String?, customerId: String? = nil, holdLimit: HoldLimit? = nil) {
        self.channel = channel
        self.token = token
        self.customerId = customerId
        self.holdLimit = holdLimit
    }
}
