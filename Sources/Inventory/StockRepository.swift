/// Stock levels per variant and location, the variants they belong to, and the adjustment log.
public protocol StockRepository: Sendable {
    /// Replaces a product's stock levels (variant, location, on hand); `fresh` when the product is new.
    func replaceStock(productId: String, levels: [(variant: String, location: String, onHand: Int)], fresh: Bool) async throws
    /// Sets units on hand of some (variant, location) pairs, adding the rows that are missing:
    /// absolute counts. Other pairs are left as they are.
    func setStock(_ levels: [StockKey: (productId: String, onHand: Int)]) async throws
    /// Removes the stock of some (variant, location) pairs.
    func removeStock(_ pairs: [StockKey]) async throws
    /// Units on hand of some pairs, locked until the transaction ends (PostgreSQL row locks;
    /// SQLite has a single writer); pairs without a row are left out.
    func lockOnHand(_ pairs: [StockKey]) async throws -> [StockKey: Int]
    /// The stock levels per variant and location of some products (all when `nil`), each with
    /// the units held by every unexpired reservation at `now`.
    func levels(products: [String]?, asOf now: String) async throws -> [String: [StockLevel]]
    /// The stock levels of some variants per location, with the units held by unexpired
    /// reservations of other holders, locked until the transaction ends (PostgreSQL row locks;
    /// SQLite has a single writer), so that what is read is still true at commit.
    func lockStock(variants: [String], asOf now: String, excludingHolder holder: String) async throws -> [String: [StockLevel]]
    /// Adds units back to stock on hand at a location (a canceled order's lines), creating the
    /// level when it is gone.
    func restock(variant: String, productId: String, location: String, quantity: Int) async throws
    /// The variants with some of these SKUs or IDs.
    func variants(skus: [String], ids: [String]) async throws -> [StockedVariant]
    /// One page of inventory rows matching `filter`, by SKU then location; `after` is the last
    /// row's `sku|location`.
    func inventory(_ filter: InventoryFilter, asOf now: String, after: String?, limit: Int) async throws -> [InventoryLevel]
    /// Appends lines to the adjustment log.
    func appendAdjustments(_ lines: [StockAdjustment]) async throws
    /// One page of the adjustment log matching `filter`, newest batch first; `before` is the
    /// last line's `batch|line`.
    func adjustments(_ filter: AdjustmentFilter, before: String?, limit: Int) async throws -> [StockAdjustment]
}
