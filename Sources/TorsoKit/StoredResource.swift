import Foundation

/// A versioned document the admin API creates, reads, patches and deletes. Settings
/// (locales, channels, attributes…) are keyed by a `code`; catalog entries by an ID.
public protocol StoredResource: Codable, Sendable {
    /// The singular name used in messages and history (`channel`).
    static var kind: String { get }
    /// The collection name: the table and the route (`channels`).
    static var collection: String { get }
    /// The body shape accepted on create and patch.
    static var schema: FieldSchema { get }
    /// The code or ID that identifies the resource.
    var key: String { get }
    /// Increases by one with every change, starting at 1.
    var version: Int { get set }
    /// When it was created (RFC 3339).
    var createdAt: String { get set }
    /// When it last changed (RFC 3339).
    var updatedAt: String { get set }
}

extension StoredResource {
    /// Members every resource carries and clients may echo back but never set.
    public static var metadataFields: [String: FieldSchema] {
        ["version": .integer, "created_at": .string(format: "date-time"), "updated_at": .string(format: "date-time")]
    }
}

/// Rules for codes that identify settings: lower-case letters, digits, `_` and `-`.
public enum Code {
    /// Whether `string` is a valid code (1–64 characters, starting with a letter or digit).
    public static func isValid(_ string: String) -> Bool {
        guard let first = string.utf8.first, (1...64).contains(string.utf8.count) else { return false }
        func allowed(_ byte: UInt8) -> Bool { (97...122).contains(byte) || (48...57).contains(byte) || byte == 95 || byte == 45 }
        return allowed(first) && first != 95 && first != 45 && string.utf8.allSatisfy(allowed)
    }

    /// Adds an `invalid_code` error unless `string` is a valid code.
    public static func check(_ string: String, at pointer: String, into errors: inout ValidationErrors) {
        if !isValid(string) {
            errors.add(pointer, "invalid_code", "'\(string)' is not a valid code: use 1–64 lower-case letters, digits, '_' or '-'.")
        }
    }
}
