/// Stock levels per variant and location.
public protocol StockRepository: Sendable {
    /// Replaces a product's stock levels (variant, location, on hand); `fresh` when the product is new.
    func replaceStock(productId: String, levels: [(variant: String, location: String, onHand: Int)], fresh: Bool) async throws
    /// Sets units on hand of some (variant, location) pairs of a product, adding the rows that
    /// are missing: an absolute count, as from a stock take. Other pairs are left as they are.
    func setStock(productId: String, levels: [(variant: String, location: String, onHand: Int)]) async throws
    /// Removes the stock of some (variant, location) pairs.
    func removeStock(_ pairs: [(variant: String, location: String)]) async throws
    /// Units on hand per variant, summed over locations, for some products (all when `nil`).
    func stockOnHand(products: [String]?) async throws -> [String: Int]
    /// The stock levels of some variants per location, with the units held by unexpired
    /// reservations of other holders, locked until the transaction ends (PostgreSQL row locks;
    /// SQLite has a single writer), so that what is read is still true at commit.
    func lockStock(variants: [String], asOf now: String, excludingHolder holder: String) async throws -> [String: [StockLevel]]
    /// Adds units back to stock on hand (a canceled order's lines).
    func restock(variant: String, location: String?, quantity: Int) async throws
}
