/// The one rule for e-mail addresses, shared by customers and carts.
public enum EmailAddress {
    /// Whether a (normalized) e-mail address looks deliverable: one `@`, a local part of at most
    /// 64 characters, and a domain of dot-separated labels, no spaces, at most 254 characters.
    public static func isValid(_ email: String) -> Bool {
        guard (3...254).contains(email.count), !email.contains(where: { $0.isWhitespace || $0.isNewline }) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...64).contains(parts[0].count) else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
    }

    /// Adds an `invalid_email` error at `pointer` unless `email` is valid.
    public static func check(_ email: String, at pointer: String, into errors: inout ValidationErrors) {
        if !isValid(email) { errors.add(pointer, "invalid_email", "'\(email)' is not an e-mail address.") }
    }
}
