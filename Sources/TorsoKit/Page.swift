import Foundation

/// One page of a cursor-paginated list: `{"data": [...], "next_cursor": "…"}`.
public struct Page<Item: Sendable & Encodable>: Sendable, Encodable {
    /// The items of this page.
    public var data: [Item]
    /// The cursor of the next page, `nil` on the last one.
    public var nextCursor: String?

    /// Creates a page.
    public init(data: [Item], nextCursor: String?) {
        self.data = data
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        try container.encode(nextCursor, forKey: .nextCursor)  // explicit null on the last page
    }
}

/// A position in a list ordered by a unique, sortable key. Opaque to clients (base64url).
public struct Cursor: Hashable, Sendable {
    /// The sort key of the last item returned.
    public var after: String

    /// Creates a cursor after the given key.
    public init(after: String) { self.after = after }

    /// The opaque form handed to clients.
    public var encoded: String {
        Data(after.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes a cursor from a client; `nil` if it is not one of ours.
    public init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let string = String(data: data, encoding: .utf8), !string.isEmpty,
              !string.utf8.contains(0)
        else { return nil }
        self.after = string
    }
}

/// How much of a list to read: at most `limit` items after `cursor`.
public struct PageRequest: Sendable {
    /// The largest page a client may ask for.
    public static let maxLimit = 200
    /// The page size when none is given.
    public static let defaultLimit = 50

    /// Items per page, 1…``maxLimit``.
    public var limit: Int
    /// Where to start, `nil` for the first page.
    public var cursor: Cursor?

    /// Creates a page request, clamping nothing: callers validate first.
    public init(limit: Int = PageRequest.defaultLimit, cursor: Cursor? = nil) {
        self.limit = limit
        self.cursor = cursor
    }
}
