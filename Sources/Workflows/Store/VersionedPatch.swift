import TorsoKit

/// A JSON merge patch's members with the version its writer expects taken out: the one rule
/// every versioned `PATCH` follows.
enum VersionedPatch {
    /// The members of `patch` (422 `invalid_type` unless it is an object) without `version`,
    /// and the expected version: `If-Match`, or the body's `version` (422 `invalid_type` unless
    /// an integer; 400 `version_ambiguous` when both are given and differ).
    static func split(_ patch: JSONValue, expectedVersion: Int?) throws -> (members: [String: JSONValue], expected: Int?) {
        guard case .object(var members) = patch else {
            throw DomainError.validation([FieldError(pointer: "/", code: "invalid_type", detail: "Expected a JSON object.")])
        }
        var expected = expectedVersion
        if let member = members.removeValue(forKey: "version"), member != .null {
            guard case .number(let number) = member, let version = Int(exactly: number) else {
                throw DomainError.validation([FieldError(pointer: "/version", code: "invalid_type", detail: "version is an integer.")])
            }
            if let expectedVersion, expectedVersion != version {
                throw DomainError(.badRequest, code: "version_ambiguous", detail: "If-Match and the body's version differ.")
            }
            expected = version
        }
        return (members, expected)
    }
}
