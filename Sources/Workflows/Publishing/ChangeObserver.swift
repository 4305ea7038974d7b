/// What changed, for the in-memory projections to refresh.
public enum CatalogChange: Sendable, Equatable {
    /// A product's content or stock changed, or it was deleted.
    case product(id: String)
    /// A product's listings changed (publish, unpublish, a scheduled publication went live).
    case publication(productId: String)
    /// A setting or category changed: every projection may be affected.
    case settings
    /// Only stock on hand changed (an order was placed or canceled): available quantities move,
    /// nothing else. Projections may gather several of these into one update.
    case stock(productIds: [String])
    /// Stock was adjusted through the inventory API: like ``stock(productIds:)``, but applied
    /// before the call returns, so that the caller reads what it wrote.
    case adjusted(productIds: [String])
}

/// Told after a change has committed.
public protocol ChangeObserver: Sendable {
    /// Called once the transaction that made the change has committed.
    func changed(_ change: CatalogChange) async
}
