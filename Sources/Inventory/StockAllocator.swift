/// Splits a requested quantity over a channel's stock locations.
///
/// Locations are taken in the given order (the channel's priority): each gives what it has
/// available (`on_hand − reserved`) until the request is met. If the total available is short:
/// with backorders allowed, the shortfall is backordered at the first location; otherwise
/// `insufficient_stock` is thrown with the available quantity.
public struct StockAllocator: Sendable {
    /// Creates an allocator.
    public init() {}

    /// The allocations for `quantity` units of a variant over `levels` (in priority order).
    /// Locations that give nothing are left out.
    public func allocate(quantity: Int, variantId: String? = nil, levels: [StockLevel],
                         allowBackorder: Bool = false) throws -> [StockAllocation] {
        guard quantity > 0 else { throw InventoryError.invalidQuantity(pointer: "/quantity", quantity: quantity) }
        var needed = quantity
        var allocations: [StockAllocation] = []
        for level in levels where needed > 0 && level.available > 0 {
            let taken = min(needed, level.available)
            allocations.append(StockAllocation(locationId: level.locationId, quantity: taken))
            needed -= taken
        }
        guard needed > 0 else { return allocations }
        let available = quantity - needed
        guard allowBackorder, let first = levels.first else {
            throw InventoryError.insufficientStock(variantId: variantId, requested: quantity, available: available)
        }
        if let index = allocations.firstIndex(where: { $0.locationId == first.locationId }) {
            allocations[index].backordered = needed
        } else {
            allocations.insert(StockAllocation(locationId: first.locationId, quantity: 0, backordered: needed), at: 0)
        }
        return allocations
    }
}
