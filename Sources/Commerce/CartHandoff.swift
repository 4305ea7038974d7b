/// A cart handed from a screen to a phone: a single-use code (only its digest is kept) that is
/// valid until ``expiresAt`` and can be claimed once, on the cart's channel.
public struct CartHandoff: Sendable, Equatable {
    /// How long a code lives unless the screen asks otherwise (ten minutes).
    public static let defaultLifetime: Int = 600
    /// The lifetimes a screen may ask for, in seconds.
    public static let lifetimes = 60...3_600

    /// The digest of the code.
    public var codeHash: String
    /// The cart.
    public var cartId: String
    /// The cart's channel (a code is claimed with a key of the same channel).
    public var channel: String
    /// When the code stops working.
    public var expiresAt: String
    /// When it was claimed, once it was.
    public var claimedAt: String?
    /// When it was made.
    public var createdAt: String

    /// Creates a handoff.
    public init(codeHash: String, cartId: String, channel: String, expiresAt: String, claimedAt: String? = nil, createdAt: String) {
        self.codeHash = codeHash
        self.cartId = cartId
        self.channel = channel
        self.expiresAt = expiresAt
        self.claimedAt = claimedAt
        self.createdAt = createdAt
    }

    /// What claiming a code found.
    public enum Claim: Sendable, Equatable {
        /// This caller won: the cart is theirs.
        case claimed(cartId: String)
        /// Someone claimed it first.
        case alreadyClaimed
        /// It expired unclaimed.
        case expired
        /// No such code on this channel.
        case unknown
    }
}
