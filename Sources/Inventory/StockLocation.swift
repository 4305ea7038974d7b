import Foundation
import TorsoKit

/// A place that holds stock: a warehouse, or a store that shoppers can walk into (and collect
/// from). Stores have a postal address, coordinates, opening hours, and the channels whose
/// heads may show them.
public struct StockLocation: StoredResource, Equatable {
    public static let kind = "stock location"
    public static let collection = "stock-locations"
    public static let schema: FieldSchema = .object(
        [
            "code": .string(), "name": .string(), "kind": .oneOf(Kind.allCases.map(\.rawValue)),
            "address": .nullable(PostalAddress.schema), "coordinates": .nullable(Coordinates.schema),
            "opening_hours": .array(OpeningHours.schema), "pickup": .boolean, "channels": .array(.string()),
        ].merging(metadataFields) { $1 },
        required: ["code", "name"], readOnly: Array(metadataFields.keys))

    /// What kind of place it is.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Stock only: shoppers never see it.
        case warehouse
        /// A shop: heads may show it, its stock, and offer collection there.
        case store
    }

    /// The location's code, e.g. `berlin-mitte`.
    public var code: String
    /// A name for people.
    public var name: String
    /// Warehouse or store (default warehouse).
    public var kind: Kind
    /// Where it is.
    public var address: PostalAddress?
    /// Where it is on a map (for "nearest first").
    public var coordinates: Coordinates?
    /// When a store is open, per weekday.
    public var openingHours: [OpeningHours]
    /// Whether orders can be collected there (click and collect).
    public var pickup: Bool
    /// The channels whose heads may show the store; a store is shown on no other.
    public var channels: [String]
    public var version: Int
    public var createdAt: String
    public var updatedAt: String

    public var key: String { code }

    /// Creates a stock location.
    public init(code: String, name: String, kind: Kind = .warehouse, version: Int = 1, createdAt: String = "", updatedAt: String = "") {
        self.code = code
        self.name = name
        self.kind = kind
        self.address = nil
        self.coordinates = nil
        self.openingHours = []
        self.pickup = false
        self.channels = []
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether heads of `channel` may show it.
    public func isShown(on channel: String) -> Bool { kind == .store && channels.contains(channel) }

    enum CodingKeys: String, CodingKey {
        case code, name, kind, address, coordinates, pickup, channels, version
        case openingHours = "opening_hours"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        name = try container.decode(String.self, forKey: .name)
        kind = try container.decodeIfPresent(Kind.self, forKey: .kind) ?? .warehouse
        address = try container.decodeIfPresent(PostalAddress.self, forKey: .address)
        coordinates = try container.decodeIfPresent(Coordinates.self, forKey: .coordinates)
        openingHours = try container.decodeIfPresent([OpeningHours].self, forKey: .openingHours) ?? []
        pickup = try container.decodeIfPresent(Bool.self, forKey: .pickup) ?? false
        channels = try container.decodeIfPresent([String].self, forKey: .channels) ?? []
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        updatedAt = try container.decodeIfPresent(String.self, forKey: .updatedAt) ?? ""
    }

    /// Checks the fields that the schema cannot; `knownChannels` are the channels that exist.
    public func validate(knownChannels: Set<String>? = nil) throws {
        var errors = ValidationErrors()
        Code.check(code, at: "/code", into: &errors)
        if name.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("/name", "required", "A name is required.") }
        if name.count > 200 { errors.add("/name", "too_long", "A name has at most 200 characters.") }
        coordinates?.check(at: "/coordinates", into: &errors)
        address?.check(at: "/address", into: &errors)
        for (index, hours) in openingHours.enumerated() { hours.check(at: "/opening_hours/\(index)", into: &errors) }
        OpeningHours.checkOverlaps(openingHours, into: &errors)
        if let knownChannels {
            for (index, channel) in channels.enumerated() where !knownChannels.contains(channel) {
                errors.add("/channels/\(index)", "unknown_channel", "Channel '\(channel)' does not exist.")
            }
        }
        if Set(channels).count != channels.count { errors.add("/channels", "duplicate", "Each channel may appear once.") }
        if kind == .warehouse, pickup { errors.add("/pickup", "invalid_value", "Only a store offers pickup.") }
        if kind == .warehouse, !channels.isEmpty { errors.add("/channels", "invalid_value", "Only a store is shown on channels; a warehouse's stock is sold through the channels' stock_locations.") }
        try errors.throwIfAny()
    }
}
