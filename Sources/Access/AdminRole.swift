/// What a person in the back office may do: a role maps to the scopes an API key would hold.
///
/// - `owner`: everything, people and keys included.
/// - `catalog_editor`: products and categories (and reading stock and orders).
/// - `publisher`: what a catalog editor does, and settings (channels, price lists, promotions).
/// - `order_manager`: orders and customers, and reading the catalog and stock.
/// - `viewer`: reads the catalog, stock and orders, changes nothing.
public enum AdminRole: String, Codable, Sendable, CaseIterable {
    case owner
    case catalogEditor = "catalog_editor"
    case publisher
    case orderManager = "order_manager"
    case viewer

    /// The scopes the role holds, implied ones included.
    public var scopes: Set<Scope> {
        let granted: Set<Scope> = switch self {
        case .owner: Set(Scope.allCases)
        case .catalogEditor: [.catalogWrite, .inventoryRead, .ordersRead]
        case .publisher: [.catalogWrite, .settingsWrite, .inventoryRead, .ordersRead]
        case .orderManager: [.catalogRead, .ordersWrite, .customersWrite, .inventoryRead]
        case .viewer: [.catalogRead, .inventoryRead, .ordersRead]
        }
        return granted.reduce(into: Set<Scope>()) { $0.formUnion($1.implied) }
    }
}
