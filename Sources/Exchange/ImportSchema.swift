import Catalog

/// What an import needs to know of the catalog's settings to read cells: attribute types,
/// which attributes each product type keeps per variant and which are its variant axes, and
/// the locales and channels that exist.
public struct ImportSchema: Sendable {
    /// Attribute types by code.
    public var attributes: [String: AttributeType]
    /// Per product type: the attributes kept per variant (its variant attributes and axes).
    public var variantLevel: [String: Set<String>]
    /// Per product type: the variant axes.
    public var axes: [String: Set<String>]
    /// Locale codes.
    public var locales: Set<String>
    /// Channel codes.
    public var channels: Set<String>
    /// Stock location codes.
    public var locations: Set<String>

    /// Creates a schema.
    public init(attributes: [String: AttributeType], variantLevel: [String: Set<String>], axes: [String: Set<String>],
                locales: Set<String>, channels: Set<String>, locations: Set<String>) {
        self.attributes = attributes
        self.variantLevel = variantLevel
        self.axes = axes
        self.locales = locales
        self.channels = channels
        self.locations = locations
    }

    /// The schema of the catalog's settings.
    public init(attributes: [AttributeDefinition], productTypes: [ProductType], locales: [String], channels: [String], locations: [String]) {
        self.init(attributes: Dictionary(attributes.map { ($0.code, $0.type) }, uniquingKeysWith: { first, _ in first }),
                  variantLevel: Dictionary(productTypes.map { ($0.code, Set($0.variantAttributes + $0.variantAxes)) }, uniquingKeysWith: { first, _ in first }),
                  axes: Dictionary(productTypes.map { ($0.code, Set($0.variantAxes)) }, uniquingKeysWith: { first, _ in first }),
                  locales: Set(locales), channels: Set(channels), locations: Set(locations))
    }
}
