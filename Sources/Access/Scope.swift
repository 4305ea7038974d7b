/// A permission an admin key holds.
///
/// - `catalog:read`: read products, categories and the settings they are written against.
/// - `catalog:write`: create, change and delete products and categories (implies `catalog:read`).
/// - `settings:write`: change locales, channels, stock locations, attributes and product types
///   (implies `catalog:read`).
/// - `keys:write`: list, create and revoke API keys.
/// - `customers:read`: list and read customers (personal data, so not part of `catalog:read`).
/// - `customers:write`: change a customer's group (implies `customers:read`).
/// - `orders:read`: list and read orders.
/// - `inventory:read`: stock levels and the adjustment log; `inventory:write`: adjust stock
///   (implies `inventory:read`).
/// - `orders:write`: move orders through their life: capture, fulfil, ship, cancel, refund
///   (implies `orders:read`).
public enum Scope: String, Codable, Sendable, CaseIterable, Comparable {
    case catalogRead = "catalog:read"
    case catalogWrite = "catalog:write"
    case settingsWrite = "settings:write"
    case keysWrite = "keys:write"
    case customersRead = "customers:read"
    case customersWrite = "customers:write"
    case ordersRead = "orders:read"
    case ordersWrite = "orders:write"
    /// Read the outbox: `/admin/v1/events`, paged or streamed.
    case eventsRead = "events:read"
    /// Read stock levels and the adjustment log.
    case inventoryRead = "inventory:read"
    /// Adjust stock: counts, deltas, transfers (implies `inventory:read`).
    case inventoryWrite = "inventory:write"
    /// Read webhook subscriptions and their delivery logs.
    case webhooksRead = "webhooks:read"
    /// Create, change, delete and redeliver webhooks (implies `webhooks:read`).
    case webhooksWrite = "webhooks:write"
    /// Read the audit log: every change by a person or a key.
    case auditRead = "audit:read"

    public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The scopes a key holding `self` may use.
    public var implied: Set<Scope> {
        switch self {
        case .catalogWrite: [.catalogWrite, .catalogRead]
        case .settingsWrite: [.settingsWrite, .catalogRead]
        case .customersWrite: [.customersWrite, .customersRead]
        case .ordersWrite: [.ordersWrite, .ordersRead]
        case .webhooksWrite: [.webhooksWrite, .webhooksRead]
        case .inventoryWrite: [.inventoryWrite, .inventoryRead]
        default: [self]
        }
    }

    /// Parses a comma-separated list; `all` grants every scope. Throws on an unknown scope.
    public static func parseList(_ list: String) throws(ScopeError) -> Set<Scope> {
        var scopes = Set<Scope>()
        for part in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            if part == "all" {
                scopes.formUnion(Scope.allCases)
            } else if let scope = Scope(rawValue: part) {
                scopes.insert(scope)
            } else {
                throw ScopeError(unknown: part)
            }
        }
        if scopes.isEmpty { throw ScopeError(unknown: list) }
        return scopes
    }
}

/// An unknown scope name.
public struct ScopeError: Error, CustomStringConvertible {
    /// The name that is not a scope.
    public var unknown: String
    public var description: String {
        "Unknown scope '\(unknown)'. Known scopes: all, \(Scope.allCases.map(\.rawValue).joined(separator: ", "))."
    }
}
