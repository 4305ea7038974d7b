/// ISO 3166-1 alpha-2 country codes (`DE`, `US`), as addresses, tax rates and shipping zones
/// use them.
public enum CountryCode {
    /// Whether `text` has the shape of a country code: two upper-case ASCII letters.
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == 2 && text.utf8.allSatisfy { (65...90).contains($0) }
    }
}
