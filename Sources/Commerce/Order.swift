import TorsoKit

/// Marks order identifiers (`ord_…`).
public enum OrderEntity: IdentifiedEntity { public static let idPrefix = "ord" }

/// An order placed from a cart: what was bought at which prices, where it goes, how it was paid,
/// and its way through ``OrderStateMachine``.
public struct Order: Codable, Sendable, Equatable {
    /// One step of the order's history.
    public struct Transition: Codable, Sendable, Equatable {
        /// The status before.
        public var from: OrderStatus?
        /// The status after.
        public var to: OrderStatus
        /// The event (`place` for the first).
        public var event: String
        /// When.
        public var at: String
        /// A tracking number or a note.
        public var note: String?

        /// Creates a history entry.
        public init(from: OrderStatus?, to: OrderStatus, event: String, at: String, note: String? = nil) {
            self.from = from
            self.to = to
            self.event = event
            self.at = at
            self.note = note
        }
    }

    /// The payment taken for the order.
    public struct Payment: Codable, Sendable, Equatable {
        /// The payment's ID.
        public var id: String
        /// The provider's code (`test`, `manual`).
        public var provider: String
        /// The provider's reference.
        public var reference: String
        /// Where it stands.
        public var status: PaymentStatus
        /// Authorized amount.
        public var amount: Int64
        /// Captured so far.
        public var captured: Int64
        /// Refunded so far.
        public var refunded: Int64

        /// Creates a payment record.
        public init(id: String, provider: String, reference: String, status: PaymentStatus, amount: Int64, captured: Int64, refunded: Int64) {
            self.id = id
            self.provider = provider
            self.reference = reference
            self.status = status
            self.amount = amount
            self.captured = captured
            self.refunded = refunded
        }
    }

    /// The order's ID.
    public var id: ID<OrderEntity>
    /// The readable number (`T-100042`).
    public var number: String
    /// The cart it was placed from.
    public var cartId: String
    /// The channel.
    public var channel: String
    /// The customer, if signed in.
    public var customerId: String?
    /// Where confirmations go.
    public var email: String
    /// Where it stands.
    public var status: OrderStatus
    /// The lines at the prices charged.
    public var lines: [CartLine]
    /// Where it goes.
    public var shippingAddress: Address
    /// Where it is billed.
    public var billingAddress: Address
    /// The shipping method's code.
    public var shippingMethod: String?
    /// The totals charged.
    public var totals: Totals
    /// The promotions applied, with their discounts.
    public var promotions: [AppliedPromotion]?
    /// The payment.
    public var payment: Payment
    /// The units taken out of stock, per variant and location, so that a cancel or a return puts
    /// them back where they came from (absent on orders placed before it was recorded).
    public var stockTaken: [StockTake]?
    /// When the units were put back into stock (a cancel, a return, a full refund), once.
    public var restockedAt: String?
    /// The store the order is collected from (click and collect), if any.
    public var pickupStore: String?
    /// Every status change, oldest first.
    public var history: [Transition]
    /// A move that asks the payment provider, between claiming the order and recording what the
    /// provider did: another move meanwhile is refused, so the provider is never asked twice.
    public var moveInProgress: MoveInProgress?

    /// A move under way: its event and since when (a claim older than a minute is stale).
    public struct MoveInProgress: Codable, Sendable, Equatable {
        /// The event being applied.
        public var event: String
        /// When it was claimed (RFC 3339).
        public var since: String

        /// Creates a claim.
        public init(event: String, since: String) {
            self.event = event
            self.since = since
        }
    }
    /// Increases by one with every change.
    public var version: Int
    /// When it was placed.
    public var createdAt: String
    /// When it last changed.
    public var updatedAt: String

    /// Creates an order.
    public init(id: ID<OrderEntity>, number: String, cartId: String, channel: String, customerId: String?, email: String, status: OrderStatus,
                lines: [CartLine], shippingAddress: Address, billingAddress: Address, shippingMethod: String?, totals: Totals,
                payment: Payment, history: [Transition], version: Int, createdAt: String, updatedAt: String) {
        self.id = id
        self.number = number
        self.cartId = cartId
        self.channel = channel
        self.customerId = customerId
        self.email = email
        self.status = status
        self.lines = lines
        self.shippingAddress = shippingAddress
        self.billingAddress = billingAddress
        self.shippingMethod = shippingMethod
        self.totals = totals
        self.payment = payment
        self.history = history
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, number, channel, email, status, lines, totals, payment, history, version, promotions
        case cartId = "cart_id"
        case customerId = "customer_id"
        case shippingAddress = "shipping_address"
        case billingAddress = "billing_address"
        case shippingMethod = "shipping_method"
        case stockTaken = "stock_taken"
        case restockedAt = "restocked_at"
        case pickupStore = "pickup_store"
        case moveInProgress = "move_in_progress"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// Units of a variant taken out of stock at one location for an order.
public struct StockTake: Codable, Sendable, Hashable {
    /// The variant.
    public var variantId: String
    /// The stock location.
    public var location: String
    /// Units taken.
    public var quantity: Int

    /// Creates a record.
    public init(variantId: String, location: String, quantity: Int) {
        self.variantId = variantId
        self.location = location
        self.quantity = quantity
    }

    enum CodingKeys: String, CodingKey {
        case location, quantity
        case variantId = "variant_id"
    }
}
