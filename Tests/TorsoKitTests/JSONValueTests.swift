import Foundation
import Testing
@testable import TorsoKit

@Suite struct JSONValueTests {
    @Test func changesListLeavesThatDiffer() throws {
        // Given
        let before = try JSONCoding.parse(Data(#"{"a":1,"b":{"c":"x","d":[1,2]},"gone":true}"#.utf8))
        let after = try JSONCoding.parse(Data(#"{"a":1,"b":{"c":"y","d":[1,2,3]},"new/key":null}"#.utf8))
        // When
        let changes = before.changes(to: after)
        // Then
        #expect(changes == [
            FieldChange(path: "/b/c", from: .string("x"), to: .string("y")),
            FieldChange(path: "/b/d/2", from: nil, to: .number(3)),
            FieldChange(path: "/gone", from: .bool(true), to: nil),
            FieldChange(path: "/new~1key", from: nil, to: .null),
        ])
    }

    @Test func mergePatchFollowsRFC7396() throws {
        // Given
        let target = try JSONCoding.parse(Data(#"{"a":"b","c":{"d":"e","f":"g"},"list":[1,2]}"#.utf8))
        let patch = try JSONCoding.parse(Data(#"{"a":"z","c":{"f":null},"list":[3]}"#.utf8))
        // When
        let merged = target.merging(patch: patch)
        // Then
        #expect(merged == (try JSONCoding.parse(Data(#"{"a":"z","c":{"d":"e"},"list":[3]}"#.utf8))))
    }

    @Test func integersEncodeWithoutFraction() throws {
        let data = try JSONCoding.encoder().encode(JSONValue.object(["n": .number(3), "x": .number(2.5)]))
        #expect(String(decoding: data, as: UTF8.self) == #"{"n":3,"x":2.5}"#)
    }
}

@Suite struct FieldSchemaTests {
    static let schema: FieldSchema = .object(
        ["name": .string(), "count": .integer, "tags": .array(.string()), "labels": .map(.string()), "note": .nullable(.string())],
        required: ["name"], readOnly: ["id"])

    @Test func reportsEveryMismatchWithAPointer() throws {
        // Given
        let body = try JSONCoding.parse(Data(#"{"count":1.5,"tags":["a",2],"labels":{"en-US":true},"colour":"red"}"#.utf8))
        // When
        let errors = Self.schema.check(body)
        // Then
        #expect(Set(errors.map { "\($0.pointer) \($0.code)" }) == [
            "/count invalid_type", "/tags/1 invalid_type", "/labels/en-US invalid_type", "/colour unknown_field", "/name required",
        ])
    }

    @Test func patchesMayOmitRequiredMembers() throws {
        let errors = Self.schema.check(try JSONCoding.parse(Data(#"{"note":null}"#.utf8)), creating: false)
        #expect(errors.isEmpty)
    }
}

@Suite struct IdentifierTests {
    enum Thing: IdentifiedEntity { static let idPrefix = "thing" }

    @Test func identifiersSortByCreationTime() {
        let early = ID<Thing>.generate(at: Date(timeIntervalSince1970: 1_000))
        let late = ID<Thing>.generate(at: Date(timeIntervalSince1970: 2_000))
        #expect(early < late)
        #expect(early.rawValue.hasPrefix("thing_"))
        #expect(ID<Thing>(parsing: early.rawValue) == early)
    }

    @Test(arguments: ["thing_", "other_01M8DZ22H6KQ5WYCN95QHAYP65", "thing_01M8DZ22H6KQ5WYCN95QHAYP6!", "thing_01M8DZ22H6KQ5WYCN95QHAYP6"])
    func malformedIdentifiersAreRejected(_ text: String) {
        #expect(ID<Thing>(parsing: text) == nil)
    }

    @Test func cursorsRoundTrip() {
        let cursor = Cursor(after: "prod_01M8DZ22H6KQ5WYCN95QHAYP65")
        #expect(Cursor(encoded: cursor.encoded) == cursor)
        #expect(Cursor(encoded: "%%%") == nil)
    }

    @Test(arguments: [("en-US", true), ("de", true), ("EN-us", false), ("en_US", false), ("es-419", true), ("", false)])
    func localeCodes(_ text: String, _ valid: Bool) {
        #expect((LocaleCode(text) != nil) == valid)
    }
}

@Suite struct JSONWriterTests {
    @Test func writerMatchesTheEncoder() throws {
        // Given: every kind of value, with text that needs escaping
        let value = try JSONCoding.parse(Data(#"{"b":[1,2.5,-3,true,null],"a":{"z":"line\nbreak \"quoted\" \\ tab\t ünïcode €","y":{}},"c":[]}"#.utf8))
        // When
        let written = value.jsonBytes()
        // Then: the same bytes as JSONEncoder with sorted keys, and they parse back to the value
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: try JSONCoding.encoder().encode(value), as: UTF8.self))
        #expect(try JSONCoding.parse(Data(written)) == value)
    }
}

@Suite struct TimestampTests {
    @Test(arguments: ["2026-11-27T08:38:36.153Z", "1999-12-31T23:59:59.999Z", "2026-02-28T00:00:00.000Z", "2024-02-29T12:00:00.001Z"])
    func timestampsRoundTrip(_ text: String) throws {
        #expect(Timestamp.string(try #require(Timestamp.parse(text))) == text)
    }

    @Test func secondsWithoutFractionParse() {
        #expect(Timestamp.parse("2026-11-27T08:38:36Z").map(Timestamp.string) == "2026-11-27T08:38:36.000Z")
    }
}

@Suite struct JSONParserTests {
    @Test func parsesWhatFoundationParses() throws {
        let text = #"{"a":[1,-2.5e3,0,true,false,null],"s":"esc \" \\ \/ \n \u00e9 \ud83d\ude00 ü","o":{},"l":[]}"#
        let parsed = try JSONValue.parse(bytes: Array(text.utf8))
        #expect(parsed == (try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))))
        #expect(parsed.objectValue?["s"]?.stringValue == "esc \" \\ / \n é 😀 ü")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\\x\"", "tru", "\"a\u{01}\"", "[1] 2", "\"\\ud800\"", "-"])
    func rejectsMalformedJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes: Array(text.utf8)) }
    }
}
