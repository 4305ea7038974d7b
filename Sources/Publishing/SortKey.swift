import Foundation

/// The smallest entries offered so far, in order, up to a capacity: a page and one more, kept
/// without sorting everything that matched.
struct TopEntries {
    let capacity: Int
    private(set) var entries: [(key: SortKey, product: ProjectedProduct)] = []

    init(capacity: Int) {
        self.capacity = capacity
        entries.reserveCapacity(capacity + 1)
    }

    /// The numeric key of the last entry once the page is full: anything greater cannot enter.
    var worstNumber: Double? {
        guard entries.count == capacity, case .number(let value) = entries.last?.key.primary else { return nil }
        return value
    }

    mutating func offer(_ key: SortKey, _ product: ProjectedProduct) {
        if entries.count == capacity, let last = entries.last, !(key < last.key) { return }
        let position = entries.partitioningIndex { key < $0.key }
        entries.insert((key, product), at: position)
        if entries.count > capacity { entries.removeLast() }
    }
}

/// A total order over list entries: the sort's key, then the ID.
struct SortKey: Comparable {
    enum Primary: Comparable {
        case number(Double)
        case text(String)
    }

    var primary: Primary
    var id: String

    static func < (lhs: SortKey, rhs: SortKey) -> Bool {
        lhs.primary != rhs.primary ? lhs.primary < rhs.primary : lhs.id < rhs.id
    }

    /// The cursor text: the sort's tag (``ListQuery/Sort/cursorTag(locale:)``), the key and the ID.
    func cursor(tag: String) -> String {
        switch primary {
        case .number(let value): "\(tag)\u{1}n\(value)\u{1}\(id)"
        case .text(let value): "\(tag)\u{1}t\(value)\u{1}\(id)"
        }
    }

    init(primary: Primary, id: String) {
        self.primary = primary
        self.id = id
    }

    /// Parses a cursor made by ``cursor(tag:)`` with the same tag.
    init?(cursor: String, tag expected: String) {
        let parts = cursor.split(separator: "\u{1}", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == expected, let tag = parts[1].first else { return nil }
        let value = String(parts[1].dropFirst())
        switch tag {
        case "n":
            guard let number = Double(value) else { return nil }
            primary = .number(number)
        case "t": primary = .text(value)
        default: return nil
        }
        id = String(parts[2])
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate that is false then true.
    func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
