import TorsoKit

/// Marks cart identifiers (`cart_…`).
public enum CartEntity: IdentifiedEntity { public static let idPrefix = "cart" }

/// A shopping cart on one channel: lines priced from the channel's published catalog, contact
/// and addresses, the chosen shipping method, and where checkout stands.
public struct Cart: Codable, Sendable, Equatable {
    /// The units one line may hold.
    public static let lineQuantity = 1...1_000

    /// Where a cart is in its life.
    public enum Status: String, Codable, Sendable {
        /// Being filled.
        case open
        /// Completion is under way (stock held, payment being taken).
        case completing
        /// An order was placed from it; it cannot change any more.
        case completed
    }

    /// The cart's ID.
    public var id: ID<CartEntity>
    /// The channel (from the publishable key that created it).
    public var channel: String
    /// The currency prices are in.
    public var currency: Currency
    /// The customer, when a signed-in customer owns it.
    public var customerId: String?
    /// The customer's group (for price lists).
    public var customerGroup: String?
    /// Where the order confirmation goes.
    public var email: String?
    /// Where to ship.
    public var shippingAddress: Address?
    /// Where to bill; the shipping address when absent.
    public var billingAddress: Address?
    /// The lines.
    public var lines: [CartLine]
    /// The chosen shipping method's code.
    public var shippingMethod: String?
    /// The store the order will be collected from, with a pickup method (click and collect).
    public var pickupStore: String?
    /// Promotion codes the customer entered, in order.
    public var promotionCodes: [String]?
    /// Where it stands.
    public var status: Status
    /// When completion started (to let a stuck completion be retried).
    public var completingSince: String?
    /// The order placed from it.
    public var orderId: String?
    /// Who may use it (digests of its tokens); never shown.
    public var access: CartAccess?
    /// Increases by one with every change.
    public var version: Int
    /// When it was created.
    public var createdAt: String
    /// When it last changed.
    public var updatedAt: String

    /// A new, empty cart.
    public init(channel: String, currency: Currency, at time: String) {
        id = .generate()
        self.channel = channel
        self.currency = currency
        lines = []
        status = .open
        version = 1
        createdAt = time
        updatedAt = time
    }

    enum CodingKeys: String, CodingKey {
        case id, channel, currency, email, lines, status, version, access
        case customerId = "customer_id"
        case customerGroup = "customer_group"
        case shippingAddress = "shipping_address"
        case billingAddress = "billing_address"
        case shippingMethod = "shipping_method"
        case pickupStore = "pickup_store"
        case promotionCodes = "promotion_codes"
        case completingSince = "completing_since"
        case orderId = "order_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// Marks cart line identifiers (`line_…`).
public enum CartLineEntity: IdentifiedEntity { public static let idPrefix = "line" }

/// One variant in a cart, with the unit price the channel shows for it.
public struct CartLine: Codable, Sendable, Equatable {
    /// The line's ID.
    public var id: String
    /// The variant.
    public var variantId: String
    /// Its product.
    public var productId: String
    /// Its SKU.
    public var sku: String
    /// The product's name in the cart's channel and default locale.
    public var name: String
    /// Units.
    public var quantity: Int
    /// The unit price in minor units, as the storefront shows it for the cart's customer group
    /// and the line's quantity.
    public var unitAmount: Int64
    /// The regular unit price when ``unitAmount`` is a sale price; `nil` otherwise.
    public var compareAtAmount: Int64?
    /// The code of the price list that set ``unitAmount``; `nil` for the base price.
    public var priceList: String?
    /// The tax class.
    public var taxClass: String
    /// Whether the variant may be sold beyond stock.
    public var allowBackorder: Bool
    /// Grams per unit, for weight-based shipping.
    public var weightGrams: Int
    /// The product's categories and their ancestors, for promotions on categories.
    public var categories: [String]?

    /// Creates a line.
    public init(id: String, variantId: String, productId: String, sku: String, name: String, quantity: Int, unitAmount: Int64,
                taxClass: String = TaxClass.standard, allowBackorder: Bool = false, weightGrams: Int = 0) {
        self.id = id
        self.variantId = variantId
        self.productId = productId
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.unitAmount = unitAmount
        self.taxClass = taxClass
        self.allowBackorder = allowBackorder
        self.weightGrams = weightGrams
    }

    enum CodingKeys: String, CodingKey {
        case id, sku, name, quantity
        case variantId = "variant_id"
        case productId = "product_id"
        case unitAmount = "unit_amount"
        case taxClass = "tax_class"
        case allowBackorder = "allow_backorder"
        case weightGrams = "weight_grams"
        case categories
        case compareAtAmount = "compare_at_amount"
        case priceList = "price_list"
    }
}
