import Inventory
import TorsoKit
import Workflows

/// `POST /admin/v1/inventory/adjustments`: up to 10,000 rows, each naming a variant (by SKU or
/// ID) and a location, with exactly one change: `set` (an absolute count), `delta` (units in or
/// out) or `transfer_to` with a `quantity`.
struct AdjustmentBatchRequest: RequestBody {
    struct Row: Decodable, Sendable {
        var sku: String?
        var variantId: String?
        var location: String
        var set: Int?
        var delta: Int?
        var transferTo: String?
        var quantity: Int?
        var reason: String?
        var reference: String?

        enum CodingKeys: String, CodingKey {
            case sku, location, set, delta, quantity, reason, reference
            case variantId = "variant_id"
            case transferTo = "transfer_to"
        }
    }

    var reason: String
    var reference: String?
    var rows: [Row]

    static let rowSchema: FieldSchema = .object([
        "sku": .nullable(.string()), "variant_id": .nullable(.string()), "location": .string(),
        "set": .nullable(.integer), "delta": .nullable(.integer), "transfer_to": .nullable(.string()), "quantity": .nullable(.integer),
        "reason": .nullable(.string()), "reference": .nullable(.string()),
    ], required: ["location"])
    static let schema: FieldSchema = .object([
        "reason": .string(), "reference": .nullable(.string()), "rows": .array(rowSchema),
    ], required: ["reason", "rows"])

    /// Checks the body's size before its shape, so that 10,001 rows get one clear problem
    /// rather than a shape check of every row.
    static func decodeBatch(_ value: JSONValue) throws -> StockService.Batch {
        if case .array(let rows)? = value.objectValue?["rows"], rows.count > StockAdjuster.maxRows {
            throw DomainError.validation([FieldError(pointer: "/rows", code: "too_many_rows",
                                                     detail: "A batch has at most \(StockAdjuster.maxRows) rows, not \(rows.count); split it.")])
        }
        return try decode(value).batch()
    }

    /// The rows as adjustments; 422 with a pointer per row that names no variant or not
    /// exactly one change.
    func batch() throws -> StockService.Batch {
        var errors = ValidationErrors()
        var adjustments: [AdjustmentRow] = []
        adjustments.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            let pointer = "/rows/\(index)"
            if (row.sku == nil) == (row.variantId == nil) {
                errors.add(pointer, "variant_or_sku_required", "Name the variant by exactly one of sku and variant_id.")
                continue
            }
            let changes = [row.set != nil, row.delta != nil, row.transferTo != nil].filter { $0 }.count
            guard changes == 1 else {
                errors.add(pointer, "invalid_value", "Give exactly one of set, delta and transfer_to.")
                continue
            }
            let change: AdjustmentRow.Change
            if let count = row.set {
                change = .set(count)
            } else if let delta = row.delta {
                guard delta != 0 else {
                    errors.add(pointer + "/delta", "invalid_quantity", "A delta adds or takes at least one unit.")
                    continue
                }
                change = .delta(delta)
            } else {
                guard let quantity = row.quantity else {
                    errors.add(pointer + "/quantity", "required", "A transfer says how many units move.")
                    continue
                }
                change = .transfer(to: row.transferTo!, quantity: quantity)
            }
            for (field, text) in [("reason", row.reason), ("reference", row.reference)] {
                guard let text else { continue }
                if field == "reason", text.trimmingCharacters(in: .whitespaces).isEmpty {
                    errors.add("\(pointer)/reason", "required", "A row's reason, when given, says why.")
                } else if text.count > 200 {
                    errors.add("\(pointer)/\(field)", "too_long", "At most 200 characters.")
                }
            }
            if row.quantity != nil, row.transferTo == nil {
                errors.add(pointer + "/quantity", "invalid_value", "quantity goes with transfer_to; use set or delta.")
                continue
            }
            adjustments.append(AdjustmentRow(sku: row.sku, variantId: row.variantId, location: row.location, change: change,
                                             reason: row.reason, reference: row.reference))
        }
        try errors.throwIfAny()
        return StockService.Batch(rows: adjustments, reason: reason, reference: reference)
    }
}
