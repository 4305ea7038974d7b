/// Well-known tax class codes. A tax class groups goods taxed alike; any code works, these are
/// the common ones.
public enum TaxClass {
    /// The country's standard rate (`standard`).
    public static let standard = "standard"
    /// A reduced rate, e.g. food or books (`reduced`).
    public static let reduced = "reduced"
    /// Taxed at zero (`zero`).
    public static let zero = "zero"
}
