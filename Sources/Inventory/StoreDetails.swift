import Foundation
import TorsoKit

/// A place's postal address (no person's name: see `Address` for shipping).
public struct PostalAddress: Codable, Sendable, Equatable {
    /// The declared shape.
    public static let schema: FieldSchema = .object([
        "line1": .string(), "line2": .nullable(.string()), "city": .string(), "postal_code": .string(),
        "region": .nullable(.string()), "country": .string(),
    ], required: ["line1", "city", "postal_code", "country"])

    /// Street and number.
    public var line1: String
    /// More of the street address.
    public var line2: String?
    /// City.
    public var city: String
    /// Postal code.
    public var postalCode: String
    /// Region or state.
    public var region: String?
    /// ISO 3166-1 alpha-2, upper case.
    public var country: String

    /// Creates an address.
    public init(line1: String, line2: String? = nil, city: String, postalCode: String, region: String? = nil, country: String) {
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.postalCode = postalCode
        self.region = region
        self.country = country
    }

    enum CodingKeys: String, CodingKey {
        case line1, line2, city, region, country
        case postalCode = "postal_code"
    }

    func check(at pointer: String, into errors: inout ValidationErrors) {
        for (field, value) in [("line1", line1), ("city", city), ("postal_code", postalCode)] {
            if value.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("\(pointer)/\(field)", "required", "'\(field)' is required.") }
            if value.count > 200 { errors.add("\(pointer)/\(field)", "too_long", "'\(field)' has at most 200 characters.") }
        }
        if !CountryCode.isValid(country) { errors.add("\(pointer)/country", "invalid_country", "'\(country)' is not an ISO 3166-1 alpha-2 code.") }
    }
}

/// A point on the map, in degrees (WGS 84).
public struct Coordinates: Codable, Sendable, Equatable {
    /// The declared shape.
    public static let schema: FieldSchema = .object(["latitude": .number, "longitude": .number], required: ["latitude", "longitude"])

    /// −90 to 90.
    public var latitude: Double
    /// −180 to 180.
    public var longitude: Double

    /// Creates coordinates.
    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Whether both are in range.
    public var isValid: Bool { (-90...90).contains(latitude) && (-180...180).contains(longitude) }

    /// The great-circle distance to `other` in metres (haversine, mean Earth radius).
    public func distance(to other: Coordinates) -> Double {
        let radians = Double.pi / 180
        let dLat = (other.latitude - latitude) * radians, dLon = (other.longitude - longitude) * radians
        let a = sin(dLat / 2) * sin(dLat / 2)
            + cos(latitude * radians) * cos(other.latitude * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 6_371_008.8 * 2 * atan2(a.squareRoot(), (1 - a).squareRoot())
    }

    func check(at pointer: String, into errors: inout ValidationErrors) {
        if !(-90...90).contains(latitude) { errors.add(pointer + "/latitude", "out_of_range", "A latitude is between -90 and 90.") }
        if !(-180...180).contains(longitude) { errors.add(pointer + "/longitude", "out_of_range", "A longitude is between -180 and 180.") }
    }
}

/// When a store is open on one weekday: `{"day": "mon", "opens": "10:00", "closes": "20:00"}`.
public struct OpeningHours: Codable, Sendable, Equatable {
    /// The declared shape.
    public static let schema: FieldSchema = .object([
        "day": .oneOf(days), "opens": .string(), "closes": .string(),
    ], required: ["day", "opens", "closes"])
    /// The weekdays, Monday first.
    public static let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// The weekday.
    public var day: String
    /// Opening time, `HH:MM` local time.
    public var opens: String
    /// Closing time, `HH:MM`, after ``opens``.
    public var closes: String

    /// Creates opening hours.
    public init(day: String, opens: String, closes: String) {
        self.day = day
        self.opens = opens
        self.closes = closes
    }

    /// Minutes after midnight of an `HH:MM` time (`24:00` allowed), or `nil`.
    static func minutes(_ time: String) -> Int? {
        let parts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0...24).contains(hours), (0...59).contains(minutes), hours < 24 || minutes == 0 else { return nil }
        return hours * 60 + minutes
    }

    /// Refuses two periods of one day that overlap (`invalid_range` at the later one).
    static func checkOverlaps(_ hours: [OpeningHours], into errors: inout ValidationErrors) {
        var periods: [String: [(range: Range<Int>, index: Int)]] = [:]
        for (index, entry) in hours.enumerated() {
            guard let open = minutes(entry.opens), let close = minutes(entry.closes), open < close else { continue }
            for earlier in periods[entry.day, default: []] where earlier.range.overlaps(open..<close) {
                errors.add("/opening_hours/\(index)", "invalid_range", "Overlaps the hours at /opening_hours/\(earlier.index) on \(entry.day).")
            }
            periods[entry.day, default: []].append((open..<close, index))
        }
    }

    func check(at pointer: String, into errors: inout ValidationErrors) {
        let open = Self.minutes(opens), close = Self.minutes(closes)
        if open == nil { errors.add(pointer + "/opens", "invalid_value", "A time is HH:MM, such as 09:30.") }
        if close == nil { errors.add(pointer + "/closes", "invalid_value", "A time is HH:MM, such as 18:00.") }
        if let open, let close, close <= open { errors.add(pointer + "/closes", "invalid_range", "A store closes after it opens.") }
    }
}
