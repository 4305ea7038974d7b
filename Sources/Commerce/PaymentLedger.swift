import TorsoKit

/// The bookkeeping shared by the built-in providers: what each payment authorized, captured and
/// refunded, and which operations its status allows.
struct PaymentLedger: Sendable {
    struct Entry: Sendable {
        var status: PaymentStatus
        var authorized: Int64
        var captured: Int64 = 0
        var refunded: Int64 = 0
        var currency: Currency
    }

    private(set) var entries: [String: Entry] = [:]
    private var counter = 0
    let prefix: String

    init(prefix: String) {
        self.prefix = prefix
    }

    /// A new reference, deterministic per provider instance (`test_pay_1`, `test_pay_2`, …).
    mutating func nextReference() -> String {
        counter += 1
        return "\(prefix)_\(counter)"
    }

    mutating func record(_ reference: String, status: PaymentStatus, amount: Int64, currency: Currency) {
        entries[reference] = Entry(status: status, authorized: amount, currency: currency)
    }

    mutating func capture(_ reference: String, amount: Int64, from allowed: Set<PaymentStatus>) throws -> PaymentResult {
        var entry = try find(reference)
        guard allowed.contains(entry.status) else {
            throw CommerceError.invalidPaymentOperation(reference: reference, detail: "A payment in status '\(entry.status.rawValue)' cannot be captured.")
        }
        guard amount > 0, amount <= entry.authorized else {
            throw CommerceError.invalidPaymentOperation(reference: reference, detail: "The capture must be between 1 and \(entry.authorized).")
        }
        entry.captured = amount
        entry.status = .captured
        entries[reference] = entry
        return PaymentResult(reference: reference, status: .captured, amount: amount, currency: entry.currency)
    }

    mutating func refund(_ reference: String, amount: Int64) throws -> PaymentResult {
        var entry = try find(reference)
        guard entry.status == .captured || entry.status == .partiallyRefunded else {
            throw CommerceError.invalidPaymentOperation(reference: reference, detail: "A payment in status '\(entry.status.rawValue)' cannot be refunded.")
        }
        let refundable = entry.captured - entry.refunded
        guard amount > 0, amount <= refundable else {
            throw CommerceError.invalidPaymentOperation(reference: reference, detail: "The refund must be between 1 and \(refundable).")
        }
        entry.refunded += amount
        entry.status = entry.refunded == entry.captured ? .refunded : .partiallyRefunded
        entries[reference] = entry
        return PaymentResult(reference: reference, status: entry.status, amount: amount, currency: entry.currency)
    }

    mutating func cancel(_ reference: String, from allowed: Set<PaymentStatus>) throws -> PaymentResult {
        var entry = try find(reference)
        guard allowed.contains(entry.status) else {
            throw CommerceError.invalidPaymentOperation(reference: reference, detail: "A payment in status '\(entry.status.rawValue)' cannot be canceled.")
        }
        entry.status = .canceled
        entries[reference] = entry
        return PaymentResult(reference: reference, status: .canceled, amount: entry.authorized, currency: entry.currency)
    }

    private func find(_ reference: String) throws -> Entry {
        guard let entry = entries[reference] else { throw CommerceError.paymentNotFound(reference: reference) }
        return entry
    }
}
