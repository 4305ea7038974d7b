import Foundation
import TorsoKit

/// Decides which promotions a cart gets and splits each discount over the lines, so tax can be
/// computed per line after discounts.
///
/// Eligibility, checked in this order (the first failure is the entered code's rejection):
/// the code exists (`promotion_not_found`); `starts_at ≤ now` (`promotion_not_started`);
/// `now < ends_at` (`promotion_expired`); `times_used < usage_limit` and the customer's uses
/// `< usage_limit_per_customer` (`usage_limit_reached`); the subtotal before discounts
/// `≥ minimum_subtotal` (`minimum_not_met`); some line is targeted and a fixed amount is in the
/// cart's currency (`not_applicable`). Automatic promotions (no code) are considered whenever
/// eligible and are never reported as rejected.
///
/// Stacking (also in `docs/commerce.md`, "Promotions"):
/// 1. All eligible **stackable** promotions apply together: item-level ones first, then
///    order-level ones on what is left; within each group by priority (higher first, then ID).
///    Each applies to the amounts left after the ones before it, so two 10 % give 19 %.
/// 2. Each **non-stackable** promotion is evaluated alone on the full cart. The best of them
///    (largest discount; ties: higher priority, then ID) replaces the stackable set only if its
///    discount is strictly bigger than the whole stackable set's. The losers' entered codes are
///    rejected with `not_combinable`.
/// 3. A discount never exceeds the amount it applies to: item percentages are of what is left
///    of the line, item fixed amounts are per unit and capped at the line, order-level amounts
///    are capped at what is left of the cart. Line amounts never go negative.
/// 4. An order-level discount is split over the lines proportionally to what is left of each
///    line (truncated); the remaining minor units go one each to the largest lines first, ties
///    broken by line ID ascending.
public struct PromotionEvaluator: Sendable {
    /// Every promotion known: automatic ones and those with codes.
    public var promotions: [Promotion]

    /// Creates an evaluator.
    public init(promotions: [Promotion]) {
        self.promotions = promotions
    }

    /// The discounts for `lines` in `currency` with the entered `codes` at `now`.
    /// `customerUsage` maps a promotion ID to how many orders this customer has used it in.
    public func evaluate(lines: [CartLineInput], currency: Currency, codes: [String] = [], now: Date,
                         customerUsage: [String: Int] = [:]) -> PromotionResult {
        let subtotal = lines.reduce(Int64(0)) { $0 + $1.amount }
        var rejections: [(position: Int, rejection: PromotionRejection)] = []
        var candidates: [(promotion: Promotion, enteredCode: String?, position: Int)] = []
        var seenCodes: Set<String> = []
        var seenIDs: Set<String> = []

        for promotion in promotions where promotion.code == nil {
            if check(promotion, lines: lines, subtotal: subtotal, currency: currency, now: now, customerUsage: customerUsage) == nil,
               seenIDs.insert(promotion.id).inserted {
                candidates.append((promotion, nil, -1))
            }
        }
        for (position, entered) in codes.enumerated() {
            let normalized = entered.trimmingCharacters(in: .whitespaces).uppercased()
            guard !normalized.isEmpty, seenCodes.insert(normalized).inserted else { continue }
            guard let promotion = promotions.first(where: { $0.code?.uppercased() == normalized }) else {
                rejections.append((position, PromotionRejection(code: entered, reason: .promotionNotFound)))
                continue
            }
            if let reason = check(promotion, lines: lines, subtotal: subtotal, currency: currency, now: now, customerUsage: customerUsage) {
                rejections.append((position, PromotionRejection(code: entered, reason: reason)))
            } else if seenIDs.insert(promotion.id).inserted {
                candidates.append((promotion, entered, position))
            }
        }

        let enteredCode = Dictionary(candidates.compactMap { c in c.enteredCode.map { (c.promotion.id, $0) } }) { a, _ in a }
        let stacked = apply(candidates.map(\.promotion).filter(\.stackable), to: lines, enteredCode: enteredCode)
        let stackedTotal = stacked.reduce(0) { $0 + $1.amount }
        let best = candidates.map(\.promotion).filter { !$0.stackable }
            .map { (promotion: $0, applied: apply([$0], to: lines, enteredCode: enteredCode)) }
            .map { (promotion: $0.promotion, applied: $0.applied, total: $0.applied.reduce(0) { $0 + $1.amount }) }
            .min { lhs, rhs in
                if lhs.total != rhs.total { return lhs.total > rhs.total }
                if lhs.promotion.priority != rhs.promotion.priority { return lhs.promotion.priority > rhs.promotion.priority }
                return lhs.promotion.id < rhs.promotion.id
            }
        let chosen = if let best, best.total > stackedTotal { best.applied } else { stacked }

        let given = Set(chosen.filter { $0.amount > 0 }.map(\.promotionId))
        let considered = Set(chosen.map(\.promotionId))
        for candidate in candidates {
            guard let code = candidate.enteredCode, !given.contains(candidate.promotion.id) else { continue }
            let reason: PromotionRejection.Reason = considered.contains(candidate.promotion.id) ? .notApplicable : .notCombinable
            rejections.append((candidate.position, PromotionRejection(code: code, reason: reason)))
        }
        return PromotionResult(subtotal: subtotal, discounts: chosen.filter { $0.amount > 0 },
                               rejections: rejections.sorted { $0.position < $1.position }.map(\.rejection))
    }

    /// Why a promotion does not apply to the cart, or `nil` when it does.
    func check(_ promotion: Promotion, lines: [CartLineInput], subtotal: Int64, currency: Currency, now: Date,
               customerUsage: [String: Int]) -> PromotionRejection.Reason? {
        if let startsAt = promotion.startsAt, now < startsAt { return .promotionNotStarted }
        if let endsAt = promotion.endsAt, now >= endsAt { return .promotionExpired }
        if let limit = promotion.usageLimit, promotion.timesUsed >= limit { return .usageLimitReached }
        if let limit = promotion.usageLimitPerCustomer, customerUsage[promotion.id, default: 0] >= limit { return .usageLimitReached }
        if let minimum = promotion.minimumSubtotal, subtotal < minimum { return .minimumNotMet }
        if case .fixed(_, let own) = promotion.kind, own != currency { return .notApplicable }
        if !lines.contains(where: { promotion.target.matches($0) && $0.amount > 0 }) { return .notApplicable }
        return nil
    }

    /// Applies `promotions` in stacking order (item-level, then order-level; priority, then ID)
    /// to what is left of each line.
    func apply(_ promotions: [Promotion], to lines: [CartLineInput], enteredCode: [String: String]) -> [AppliedPromotion] {
        let ordered = promotions.sorted { lhs, rhs in
            if lhs.target.isItemLevel != rhs.target.isItemLevel { return lhs.target.isItemLevel }
            if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
            return lhs.id < rhs.id
        }
        var remaining = lines.map(\.amount)
        var result: [AppliedPromotion] = []
        for promotion in ordered {
            var shares = [Int64](repeating: 0, count: lines.count)
            switch promotion.target {
            case .items:
                for (index, line) in lines.enumerated() where promotion.target.matches(line) && remaining[index] > 0 {
                    let wanted: Int64 = switch promotion.kind {
                    case .percentage(let basisPoints):
                        Rounding.multiplyDivide(remaining[index], Int64(max(0, basisPoints)), by: 10_000)
                    case .fixed(let amount, _):
                        max(0, amount).multipliedReportingOverflow(by: Int64(max(0, line.quantity))).overflow
                            ? remaining[index] : max(0, amount) * Int64(max(0, line.quantity))
                    }
                    shares[index] = min(remaining[index], wanted)
                }
            case .order:
                let left = remaining.reduce(0, +)
                let wanted: Int64 = switch promotion.kind {
                case .percentage(let basisPoints): Rounding.multiplyDivide(left, Int64(max(0, basisPoints)), by: 10_000)
                case .fixed(let amount, _): max(0, amount)
                }
                shares = Rounding.allocate(min(wanted, left), weights: remaining, keys: lines.map(\.lineId))
            }
            for index in lines.indices { remaining[index] -= shares[index] }
            result.append(AppliedPromotion(
                promotionId: promotion.id, code: enteredCode[promotion.id], name: promotion.name,
                amount: shares.reduce(0, +),
                allocations: lines.indices.filter { shares[$0] > 0 }.map { LineDiscount(lineId: lines[$0].lineId, amount: shares[$0]) }))
        }
        return result
    }
}
