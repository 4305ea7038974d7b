import TorsoKit

/// Turns a batch of adjustment rows into new on-hand counts and log lines, or refuses the whole
/// batch with a pointer to each bad row. Pure: the caller reads the variants, the locations and
/// the current counts (locked) and writes what comes back.
///
/// Rows apply in order, so two rows for one variant and location see each other's result. A
/// `set` must not be negative; a `delta` must not take on-hand below zero unless the variant
/// allows backorders, and a transfer never (units that are not there cannot move); no count
/// goes above ``maxCount``.
public struct StockAdjuster: Sendable {
    /// The most rows one batch may carry.
    public static let maxRows = 10_000
    /// The most units on hand at one location, and the most one row may move: a billion, far
    /// above any real count and far below where arithmetic or JSON numbers lose precision.
    public static let maxCount = 1_000_000_000

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
    /// change (two per transfer); throws `validation_failed` with every problem's pointer,
    /// those of the batch (`problems`) included.
    public func plan(_ rows: [AdjustmentRow], onHand: [StockKey: Int], batch: String, reason: String, reference: String?,
                     actor: String, at: String, problems: ValidationErrors = ValidationErrors())
        throws -> (levels: [StockKey: (productId: String, onHand: Int)], log: [StockAdjustment]) {
        var errors = problems
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
            let failed = errors.errors.count
            let variant = variant(of: row)
            if variant == nil {
                if let id = row.variantId { errors.add(pointer + "/variant_id", "unknown_variant", "No variant has ID '\(id)'.") }
                else { errors.add(pointer + "/sku", "unknown_sku", "No variant has SKU '\(row.sku ?? "")'.") }
            }
            for (field, location) in zip(["/location", "/transfer_to"], row.locations) where !locations.contains(location) {
                errors.add(pointer + field, "unknown_location", "Stock location '\(location)' does not exist.")
            }
            switch row.change {
            case .set(let count) where count < 0:
                errors.add(pointer + "/set", "negative_stock", "A count on hand is 0 or more, not \(count).")
            case .set(let count) where count > Self.maxCount, .delta(let count) where abs(count) > Self.maxCount,
                 .transfer(_, let count) where count > Self.maxCount:
                errors.add(pointer + Self.field(of: row.change), "out_of_range", "At most \(Self.maxCount) units at a time.")
            case .transfer(let to, _) where to == row.location:
                errors.add(pointer + "/transfer_to", "same_location", "A transfer goes to another location.")
            case .transfer(_, let quantity) where quantity <= 0:
                errors.add(pointer + "/quantity", "invalid_quantity", "A transfer moves at least one unit, not \(quantity).")
            default: break
            }
            guard errors.errors.count == failed, let variant else { continue }
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
                line(key, .set, count, before, count)
            case .delta(let delta):
                let after = before + delta
                if after > Self.maxCount {
                    errors.add(pointer + "/delta", "out_of_range", "'\(variant.sku)' would have \(after) on hand at '\(row.location)'; at most \(Self.maxCount).")
                } else if after < 0, !variant.allowBackorder {
                    errors.add(pointer + "/delta", "negative_stock",
                               "'\(variant.sku)' has \(before) on hand at '\(row.location)'; taking \(-delta) would leave \(after), and it is not sold on backorder.")
                } else {
                    line(key, .delta, delta, before, after)
                }
            case .transfer(let to, let quantity):
                // Units that are not there cannot move, backorders or not.
                let target = StockKey(variantId: variant.id, location: to)
                let arriving = counts[target] ?? 0
                if before - quantity < 0 {
                    errors.add(pointer + "/quantity", "negative_stock", "'\(variant.sku)' has \(before) on hand at '\(row.location)'; \(quantity) cannot leave.")
                } else if arriving + quantity > Self.maxCount {
                    errors.add(pointer + "/quantity", "out_of_range", "'\(variant.sku)' would have more than \(Self.maxCount) at '\(to)'.")
                } else {
                    line(key, .transferOut, -quantity, before, before - quantity)
                    line(target, .transferIn, quantity, arriving, arriving + quantity)
                }
            }
        }
        try errors.throwIfAny()
        return (levels, log)
    }

    /// The member of a row that carries its number.
    static func field(of change: AdjustmentRow.Change) -> String {
        switch change {
        case .set: "/set"
        case .delta: "/delta"
        case .transfer: "/quantity"
        }
    }
}
