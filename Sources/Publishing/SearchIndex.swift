/// A full-text index over the products of one segment in one locale: exact, prefix and
/// one-typo matches. Built once from the products' tokens and never changed; a snapshot
/// replaces a segment rather than editing it.
///
/// Postings list, per token, the ordinals that contain it in increasing order, so a query
/// intersects sorted lists instead of hashing. The vocabulary is kept sorted for prefix ranges
/// (tokens are folded, so their order is that of their bytes); a deletion map (token minus one character → tokens) finds typos. Tokens with
/// digits (SKUs, sizes, product numbers) match exactly or by prefix but never at one typo:
/// `12345` is not a misspelling of `12346`.
struct SearchIndex: Sendable {
    /// How a query token matched a product token; exact beats prefix beats typo.
    enum Match: Int, Comparable {
        case typo = 1, prefix = 2, exact = 3
        static func < (lhs: Match, rhs: Match) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Keys are slices of the products' joined token strings, which the products keep anyway.
    private(set) var postings: [Substring: [Int32]] = [:]
    private var vocabulary: [Substring] = []
    private var deletions: [String: [Substring]] = [:]

    /// An empty index.
    init() {}

    /// Indexes documents given in increasing ordinal order, each with its distinct tokens joined
    /// by single spaces.
    init<Documents: Sequence>(_ documents: Documents) where Documents.Element == (Int32, String) {
        for (ordinal, tokens) in documents {
            var start = tokens.utf8.startIndex
            var index = start
            let end = tokens.utf8.endIndex
            while index <= end {
                if index == end || tokens.utf8[index] == 32 {
                    if start < index { postings[tokens[start..<index], default: []].append(ordinal) }
                    if index == end { break }
                    start = tokens.utf8.index(after: index)
                }
                index = tokens.utf8.index(after: index)
            }
        }
        vocabulary = postings.keys.sorted()
        for token in vocabulary where token.utf8.count >= 4 && !token.utf8.contains(where: { (48...57).contains($0) }) {
            for deletion in TextNormalizer.deletions(String(token)) { deletions[deletion, default: []].append(token) }
        }
    }

    /// The vocabulary tokens a query token matches, with how well. The last token of a query
    /// matches as a prefix (people are still typing); tokens of four or more letters also match
    /// at one typo.
    func vocabulary(for text: String, allowPrefix: Bool) -> [Substring: Match] {
        let query = Substring(text)
        var result: [Substring: Match] = [:]
        if postings[query] != nil { result[query] = .exact }
        if allowPrefix {
            var index = vocabulary.partitioningIndex { !($0 < query) }
            while index < vocabulary.count, vocabulary[index].utf8.starts(with: query.utf8) {
                if result[vocabulary[index]] == nil { result[vocabulary[index]] = .prefix }
                index += 1
            }
        }
        if query.utf8.count >= 4, !query.utf8.contains(where: { (48...57).contains($0) }) {
            // Within one edit: the token minus a character is the query, the query minus a character
            // is the token, or both minus one character agree (substitution, transposition).
            var candidates = Set(deletions[text] ?? [])
            for deletion in TextNormalizer.deletions(text) {
                if postings[Substring(deletion)] != nil { candidates.insert(Substring(deletion)) }
                candidates.formUnion(deletions[deletion] ?? [])
            }
            for token in candidates where result[token] == nil && TextNormalizer.withinOneEdit(String(token), text) {
                result[token] = .typo
            }
        }
        return result
    }

    /// The products matching every query token, in increasing ordinal order, with a score: match
    /// quality summed over the tokens.
    func search(_ query: [String]) -> [(ordinal: Int32, score: Int)] {
        var result: [(ordinal: Int32, score: Int)]?
        for (index, token) in query.enumerated() {
            let words = vocabulary(for: token, allowPrefix: index == query.count - 1)
            var hits: [(ordinal: Int32, score: Int)]
            if words.count == 1, let (word, match) = words.first {
                hits = (postings[word] ?? []).map { ($0, match.rawValue) }
            } else {
                hits = []
                for (word, match) in words { for ordinal in postings[word] ?? [] { hits.append((ordinal, match.rawValue)) } }
                hits.sort { $0.ordinal != $1.ordinal ? $0.ordinal < $1.ordinal : $0.score > $1.score }
                var unique: [(ordinal: Int32, score: Int)] = []
                unique.reserveCapacity(hits.count)
                for hit in hits where unique.last?.ordinal != hit.ordinal { unique.append(hit) }
                hits = unique
            }
            if let current = result {
                // Both lists are sorted by ordinal: intersect them in one pass.
                var merged: [(ordinal: Int32, score: Int)] = []
                var left = 0, right = 0
                while left < current.count, right < hits.count {
                    if current[left].ordinal < hits[right].ordinal { left += 1 }
                    else if current[left].ordinal > hits[right].ordinal { right += 1 }
                    else {
                        merged.append((current[left].ordinal, current[left].score + hits[right].score))
                        left += 1
                        right += 1
                    }
                }
                result = merged
            } else {
                result = hits
            }
            if result?.isEmpty == true { return [] }
        }
        return result ?? []
    }
}
