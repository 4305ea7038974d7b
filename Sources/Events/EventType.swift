/// The event types Torso appends to the outbox. Heads' live feeds carry the product, price and
/// stock events of their channel; webhooks and the admin feed carry every type.
public enum EventType {
    /// A product's staged copy was created (admin only).
    public static let productCreated = "product.created"
    /// A product's staged copy changed (admin only; heads see `product.published`).
    public static let productUpdated = "product.updated"
    /// A product was deleted with its listings.
    public static let productDeleted = "product.deleted"
    /// A copy of a product went live on a channel, now or when its scheduled time came.
    public static let productPublished = "product.published"
    /// A publication was scheduled for later on a channel (admin only).
    public static let productScheduled = "product.scheduled"
    /// A product was withdrawn from a channel.
    public static let productUnpublished = "product.unpublished"
    /// The prices a channel shows for a product changed.
    public static let priceChanged = "price.changed"
    /// Units on hand of a product's variants changed.
    public static let stockChanged = "stock.changed"
    /// Many products were published at once (an import or the generator): followers rebuild.
    public static let catalogPublished = "catalog.published"
    /// A setting (channel, locale, attribute, product type, category, tax rate…) changed.
    public static let settingsChanged = "settings.changed"
    /// An order was placed.
    public static let orderPlaced = "order.placed"
    /// An order moved to another status.
    public static let orderStatusChanged = "order.status_changed"
    /// A click-and-collect order is waiting at its store (with `order.status_changed`).
    public static let orderReadyForPickup = "order.ready_for_pickup"
    /// A click-and-collect order was collected (with `order.status_changed`).
    public static let orderPickedUp = "order.picked_up"
    /// A customer registered.
    public static let customerCreated = "customer.created"
    /// Someone tried to register with an e-mail that already has an account (the answer does
    /// not say so; send the owner an "already registered" notice from this event).
    public static let customerRegistrationRepeated = "customer.registration_repeated"
    /// A handed-off cart was claimed by a phone (on the cart's own stream and the admin feed).
    public static let cartClaimed = "cart.claimed"
    /// A handed-off cart changed.
    public static let cartUpdated = "cart.updated"
    /// An order was placed from a handed-off cart (with its number).
    public static let cartCompleted = "cart.completed"
    /// An import job moved on (at most once every two seconds per job; admin only).
    public static let importProgress = "import.progress"
    /// An import job ended: completed, failed or canceled (admin only).
    public static let importCompleted = "import.completed"
    /// A webhook subscription was disabled after too many consecutive failed attempts.
    public static let webhookDisabled = "webhook.disabled"

    /// The types a cart's own stream (`GET /store/v1/carts/{id}/events`) carries.
    public static let cart: Set<String> = [cartClaimed, cartUpdated, cartCompleted]

    /// The types a channel's heads receive on the live feed.
    public static let storefront: Set<String> = [productPublished, productUnpublished, priceChanged, stockChanged]

    /// Every type, for validating subscriptions.
    public static let all: Set<String> = [
        productCreated, productUpdated, productDeleted, productPublished, productScheduled, productUnpublished,
        priceChanged, stockChanged, catalogPublished, settingsChanged, orderPlaced, orderStatusChanged, orderReadyForPickup, orderPickedUp,
        customerCreated, customerRegistrationRepeated, cartClaimed, cartUpdated, cartCompleted, importProgress, importCompleted,
        webhookDisabled,
    ]
}
