import TorsoKit

/// Turns a batch of adjustment rows into new on-hand counts and log lines, or refuses the whole
/// batch with a pointer to each bad row. Pure: the caller reads the variants, the locations and
/// the current counts (locked) and writes what comes back.
///
/// Rows apply in order, so two rows for one variant and location see each other's result. A
/// `set` must not be negative; a `delta` or a transfer must not take on-hand below zero unless
/// the variant allows backorders.
public struct StockAdjuster: Sendable {
    /// The most rows one batch may carry.
    public static let maxRows = 10_000

    /// Variants by SKU.
    let bySKU: [String: StockedVariant]
    /// Variants by ID.
    let byID: [String: StockedVariant]
    /// The stock locations that exist.
    let locations: Set<String>

    /// Creates an adjuster over the variants the rows name and the known locations.
    public init(variants: [StockedVariant], locations: Set<String>) {
        bySKU = Dictionary(variants.map { ($0.sku, $0) }, uniquingKeysWith: { first, _ in first })
        byID = Dictionary(variants.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.locations = locations
    }

    /// The variant a row names; `nil` when it names none that exists.
    public func variant(of row: AdjustmentRow) -> StockedVariant? {
        if let id = row.variantId { return byID[id] }
        if let sku = row.sku { return bySKU[sku] }
        return nil
    }

    /// The new on-hand counts (only the pairs that change or are new) and one log line per
    /// change (two per transfer); throws `validation_failed` with every bad row's pointer.
    public func plan(_ rows: [AdjustmentRow], onHand: [StockKey: Int], batch: String, reason: String, reference: String?,
                     actor: String, at: String) throws -> (levels: [StockKey: (productId: String, onHand: Int)], log: [StockAdjustment]) {
        var errors = ValidationErrors()
        if rows.count > Self.maxRows {
            errors.add("/rows", "too_many_rows", "A batch has at most \(Self.maxRows) rows, not \(rows.count); split it.")
            try errors.throwIfAny()
        }
        var counts = onHand
        var levels: [StockKey: (productId: String, onHand: Int)] = [:]
        var log: [StockAdjustment] = []
        log.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            let pointer = "/rows/\(index)"
            guard let variant = variant(of: row) else {
                if let id = row.variantId { errors.add(pointer + "/variant_id", "unknown_variant", "No variant has ID '\(id)'.") }
                else { errors.add(pointer + "/sku", "unknown_sku", "No variant has SKU '\(row.sku ?? "")'.") }
                continue
            }
            var bad = false
            if !locations.contains(row.location) {
                errors.add(pointer + "/location", "unknown_location", "Stock location '\(row.location)' does not exist.")
                bad = true
            }
            if case .transfer(let to, _) = row.change {
                if !locations.contains(to) {
                    errors.add(pointer + "/transfer_to", "unknown_location", "Stock location '\(to)' does not exist.")
                    bad = true
                } else if to == row.location {
                    errors.add(pointer + "/transfer_to", "same_location", "A transfer goes to another location.")
                    bad = true
                }
            }
            if bad { continue }
            let key = StockKey(variantId: variant.id, location: row.location)
            let before = counts[key] ?? 0
            let why = row.reason ?? reason, ref = row.reference ?? reference
            func line(_ key: StockKey, _ kind: StockAdjustment.Kind, _ quantity: Int, _ before: Int, _ after: Int) {
                log.append(StockAdjustment(batch: batch, line: log.count, variantId: variant.id, sku: variant.sku, productId: variant.productId,
                                           location: key.location, kind: kind, quantity: quantity, onHandBefore: before, onHandAfter: after,
                                           reason: why, reference: ref, actor: actor, at: at))
                counts[key] = after
                levels[key] = (variant.productId, after)
            }
            switch row.change {
            case .set(let count):
                guard count >= 0 else {
                    errors.add(pointer + "/set", "negative_stock", "A count on hand is 0 or more, not \(count).")
                    continue
                }
                line(key, .set, count, before, count)
            case .delta(let delta):
                let (after, overflow) = before.addingReportingOverflow(delta)
                guard !overflow, after >= 0 || variant.allowBackorder else {
                    errors.add(pointer + "/delta", "negative_stock",
                               "'\(variant.sku)' has \(before) on hand at '\(row.location)'; taking \(-delta) would leave \(after), and it is not sold on backorder.")
                    continue
                }
                line(key, .delta, delta, before, after)
            case .transfer(let to, let quantity):
                guard quantity > 0 else {
                    errors.add(pointer + "/quantity", "invalid_quantity", "A transfer moves at least one unit, not \(quantity).")
                    continue
                }
                guard before - quantity >= 0 || variant.allowBackorder else {
                    errors.add(pointer + "/quantity", "negative_stock",
                               "'\(variant.sku)' has \(before) on hand at '\(row.location)'; \(quantity) cannot leave.")
                    continue
                }
                let target = StockKey(variantId: variant.id, location: to)
                let arriving = counts[target] ?? 0
                line(key, .transferOut, -quantity, before, before - quantity)
                line(target, .transferIn, quantity, arriving, arriving + quantity)
            }
        }
        try errors.throwIfAny()
        return (levels, log)
    }
}
