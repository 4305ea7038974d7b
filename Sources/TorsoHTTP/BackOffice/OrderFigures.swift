import Commerce
import Foundation
import TorsoKit
import Workflows

/// Today's orders and revenue for the dashboard (since midnight UTC), read at most every
/// 15 seconds. Order IDs begin with their time, so today's orders are a range of the primary key.
actor OrderFigures {
    /// What the dashboard shows.
    struct Today: Sendable {
        /// Orders placed today (at most ``OrderFigures/limit``; `capped` says there were more).
        var count: Int
        var capped: Bool
        /// Revenue of the orders not canceled, by currency.
        var revenue: [String: Int64]
    }

    /// The most orders read for the figures.
    static let limit = 5_000
    let orders: OrderService
    private var cached: (at: ContinuousClock.Instant, day: String, today: Today)?

    init(orders: OrderService) { self.orders = orders }

    /// The figures of today, read again when older than 15 seconds or of another day.
    func today(now: Date = Date()) async throws -> Today {
        let day = String(Timestamp.string(now).prefix(10))
        if let cached, cached.day == day, cached.at.duration(to: .now) < .seconds(15) { return cached.today }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // The smallest ID of the day: its time part, then the lowest random part.
        let first = ID<OrderEntity>.generate(at: calendar.startOfDay(for: now)).rawValue
        let after = String(first.prefix(first.count - 16)) + String(repeating: "0", count: 15)
        let page = try await orders.list(status: nil, customer: nil, page: PageRequest(limit: Self.limit, cursor: Cursor(after: after)))
        var revenue: [String: Int64] = [:]
        for order in page.data where order.status != .canceled {
            revenue[order.totals.currency.code, default: 0] += order.totals.total - order.payment.refunded
        }
        let today = Today(count: page.data.count, capped: page.nextCursor != nil, revenue: revenue)
        cached = (.now, day, today)
        return today
    }
}
