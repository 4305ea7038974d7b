/// A full-text index over product ordinals for one locale: exact, prefix and one-typo matches.
///
/// Postings map each token to the products that contain it. A prefix map (prefix → tokens) and a
/// deletion map (token minus one character → tokens) work on the vocabulary, which stays small
/// (thousands of words) however many products there are, so lookups cost little and updates for
/// one product touch only that product's tokens.
struct SearchIndex: Sendable {
    /// How a query token matched a product token; exact beats prefix beats typo.
    enum Match: Int, Comparable {
        case typo = 1, prefix = 2, exact = 3
        static func < (lhs: Match, rhs: Match) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    private(set) var postings: [String: Set<Int32>] = [:]
    private var prefixes: [String: Set<String>] = [:]
    private var deletions: [String: Set<String>] = [:]

    /// Adds a product's tokens.
    mutating func insert(_ ordinal: Int32, tokens: Set<String>) {
        for token in tokens {
            if postings[token] == nil {
                for length in 1...token.count { prefixes[String(token.prefix(length)), default: []].insert(token) }
                if token.count >= 4 {
                    for deletion in TextNormalizer.deletions(token) { deletions[deletion, default: []].insert(token) }
                }
            }
            postings[token, default: []].insert(ordinal)
        }
    }

    /// Removes a product's tokens.
    mutating func remove(_ ordinal: Int32, tokens: Set<String>) {
        for token in tokens { postings[token]?.remove(ordinal) }
    }

    /// The vocabulary tokens a query token matches, with how well. The last token of a query
    /// matches as a prefix (people are still typing); tokens of four or more characters also
    /// match at one typo.
    func vocabulary(for query: String, allowPrefix: Bool) -> [String: Match] {
        var result: [String: Match] = [:]
        if postings[query] != nil { result[query] = .exact }
        if allowPrefix {
            for token in prefixes[query] ?? [] where result[token] == nil { result[token] = .prefix }
        }
        if query.count >= 4 {
            // Within one edit: the token minus a character is the query, the query minus a character
            // is the token, or both minus one character agree (substitution, transposition).
            var candidates = deletions[query] ?? []
            for deletion in TextNormalizer.deletions(query) {
                if postings[deletion] != nil { candidates.insert(deletion) }
                candidates.formUnion(deletions[deletion] ?? [])
            }
            for token in candidates where result[token] == nil && TextNormalizer.withinOneEdit(token, query) {
                result[token] = .typo
            }
        }
        return result
    }

    /// The products matching every query token, with a score: match quality summed over tokens.
    func search(_ query: [String]) -> [Int32: Int] {
        var scores: [Int32: Int]?
        for (index, token) in query.enumerated() {
            var best: [Int32: Int] = [:]
            for (word, match) in vocabulary(for: token, allowPrefix: index == query.count - 1) {
                for ordinal in postings[word] ?? [] where (best[ordinal] ?? 0) < match.rawValue {
                    best[ordinal] = match.rawValue
                }
            }
            if let current = scores {
                var next: [Int32: Int] = [:]
                for (ordinal, score) in current { if let add = best[ordinal] { next[ordinal] = score + add } }
                scores = next
            } else {
                scores = best
            }
            if scores?.isEmpty == true { return [:] }
        }
        return scores ?? [:]
    }
}
