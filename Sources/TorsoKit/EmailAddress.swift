/// The one rule for e-mail addresses, shared by customers and carts.
public enum EmailAddress {
    /// Whether a (normalized) e-mail address looks deliverable: one `@`; a local part of at
    /// most 64 characters of RFC 5322's dot-atom (letters, digits and `!#$%&'*+/=?^_`{|}~-`,
    /// dots between); a domain of dot-separated labels of ASCII letters, digits and hyphens
    /// (internationalized domains in their `xn--` form); at most 254 characters. No comments,
    /// quotes, brackets, spaces or invisible characters: two spellings of one mailbox must not
    /// pass as two buyers.
    public static func isValid(_ email: String) -> Bool {
        guard (3...254).contains(email.utf8.count), email.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...64).contains(parts[0].utf8.count) else { return false }
        let atom = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-".utf8)
        let local = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard local.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(atom.contains) }) else { return false }
        let labelBytes = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".utf8)
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy {
            !$0.isEmpty && $0.utf8.count <= 63 && !$0.hasPrefix("-") && !$0.hasSuffix("-") && $0.utf8.allSatisfy(labelBytes.contains)
        }
    }

    /// Adds an `invalid_email` error at `pointer` unless `email` is valid.
    public static func check(_ email: String, at pointer: String, into errors: inout ValidationErrors) {
        if !isValid(email) { errors.add(pointer, "invalid_email", "'\(email)' is not an e-mail address.") }
    }
}
