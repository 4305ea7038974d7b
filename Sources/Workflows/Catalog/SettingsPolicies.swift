import Catalog
import Channels
import Inventory
import TorsoKit

/// Locales: deleting one a channel still serves is refused.
public struct LocalePolicy: ResourcePolicy {
    /// Creates the policy.
    public init() {}

    public func validate(_ resource: ContentLocale, previous: ContentLocale?, in tx: any Transaction) async throws {
        try resource.validate()
    }

    public func willDelete(_ resource: ContentLocale, in tx: any Transaction) async throws {
        let users = try await tx.documents.fetchAll(Channel.self).filter { $0.locales.contains(resource.code) }
        if !users.isEmpty {
            throw DomainError.inUse("Channels \(users.map(\.code).joined(separator: ", ")) still serve locale '\(resource.code)'.")
        }
    }
}

/// Channels: their locales must exist; deleting one a product type requires is refused.
public struct ChannelPolicy: ResourcePolicy {
    /// Creates the policy.
    public init() {}

    public func validate(_ resource: Channel, previous: Channel?, in tx: any Transaction) async throws {
        let locales = try await tx.documents.fetchAll(ContentLocale.self)
        try resource.validate(knownLocales: Set(locales.map(\.code.rawValue)))
        var errors = ValidationErrors()
        if !resource.exposedAttributes.isEmpty {
            let known = Set(try await tx.documents.fetchAll(AttributeDefinition.self).map(\.code))
            for (index, code) in resource.exposedAttributes.enumerated() where !known.contains(code) {
                errors.add("/exposed_attributes/\(index)", "unknown_attribute", "Attribute '\(code)' does not exist.")
            }
        }
        if !resource.stockLocations.isEmpty {
            let known = Set(try await tx.documents.fetchAll(StockLocation.self).map(\.code))
            var seen = Set<String>()
            for (index, code) in resource.stockLocations.enumerated() {
                if !known.contains(code) { errors.add("/stock_locations/\(index)", "unknown_location", "Stock location '\(code)' does not exist.") }
                if !seen.insert(code).inserted { errors.add("/stock_locations/\(index)", "duplicate", "Each location may appear once.") }
            }
        }
        try errors.throwIfAny()
    }

    public func willDelete(_ resource: Channel, in tx: any Transaction) async throws {
        let users = try await tx.documents.fetchAll(ProductType.self).filter { $0.requirements[resource.code] != nil }
        if !users.isEmpty {
            throw DomainError.inUse("Product types \(users.map(\.code).joined(separator: ", ")) have requirements for channel '\(resource.code)'.")
        }
        let stores = try await tx.documents.fetchAll(StockLocation.self).filter { $0.channels.contains(resource.code) }
        if !stores.isEmpty {
            throw DomainError.inUse("Stores \(stores.map(\.code).joined(separator: ", ")) are shown on channel '\(resource.code)'; take it out of their channels first.")
        }
    }
}

/// Stock locations. They are retired, not deleted, once stock refers to them (see docs/decisions.md).
public struct StockLocationPolicy: ResourcePolicy {
    /// Creates the policy.
    public init() {}

    public func validate(_ resource: StockLocation, previous: StockLocation?, in tx: any Transaction) async throws {
        try resource.validate(knownChannels: Set(try await tx.documents.fetchAll(Channel.self).map(\.code)))
    }

    public func willDelete(_ resource: StockLocation, in tx: any Transaction) async throws {
        throw DomainError(.conflict, code: "not_deletable", detail: "Stock locations cannot be deleted: stock may refer to them.")
    }
}

/// Attributes: the type is fixed once created; deleting one a product type uses is refused.
public struct AttributePolicy: ResourcePolicy {
    /// Creates the policy.
    public init() {}

    public func validate(_ resource: AttributeDefinition, previous: AttributeDefinition?, in tx: any Transaction) async throws {
        try resource.validate(previous: previous)
    }

    public func willDelete(_ resource: AttributeDefinition, in tx: any Transaction) async throws {
        let users = try await tx.documents.fetchAll(ProductType.self).filter {
            $0.allAttributes.contains(resource.code) || $0.variantAxes.contains(resource.code)
        }
        if !users.isEmpty {
            throw DomainError.inUse("Product types \(users.map(\.code).joined(separator: ", ")) use attribute '\(resource.code)'.")
        }
    }
}

/// Product types: attributes and channels must exist; deleting one products use is refused.
public struct ProductTypePolicy: ResourcePolicy {
    /// Creates the policy.
    public init() {}

    public func validate(_ resource: ProductType, previous: ProductType?, in tx: any Transaction) async throws {
        let attributes = try await tx.documents.fetchAll(AttributeDefinition.self)
        let channels = try await tx.documents.fetchAll(Channel.self)
        try resource.validate(attributes: Dictionary(uniqueKeysWithValues: attributes.map { ($0.code, $0) }),
                              channels: Set(channels.map(\.code)))
    }

    public func willDelete(_ resource: ProductType, in tx: any Transaction) async throws {
        let count = try await tx.products.countProducts(productType: resource.code)
        if count > 0 { throw DomainError.inUse("\(count) products are of type '\(resource.code)'.") }
    }
}
