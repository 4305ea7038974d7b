import TorsoKit

/// What validating a product needs to know about the rest of the system: the attributes, the
/// product type, and facts about channels, locales and stock locations, which live in other
/// modules and are handed in by the workflow.
public struct CatalogContext: Sendable {
    /// Facts about one channel.
    public struct ChannelFacts: Sendable {
        /// The channel's locale codes.
        public var locales: [String]
        /// The channel's currency codes.
        public var currencies: Set<String>

        /// Creates channel facts.
        public init(locales: [String], currencies: Set<String>) {
            self.locales = locales
            self.currencies = currencies
        }
    }

    /// Attributes by code.
    public var attributes: [String: AttributeDefinition]
    /// Product types by code.
    public var productTypes: [String: ProductType]
    /// Channels by code.
    public var channels: [String: ChannelFacts]
    /// Locale codes that exist.
    public var locales: Set<String>
    /// Stock location codes that exist.
    public var locations: Set<String>

    /// Creates a context.
    public init(attributes: [String: AttributeDefinition], productTypes: [String: ProductType],
                channels: [String: ChannelFacts], locales: Set<String>, locations: Set<String>) {
        self.attributes = attributes
        self.productTypes = productTypes
        self.channels = channels
        self.locales = locales
        self.locations = locations
    }
}
