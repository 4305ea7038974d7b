/// A published copy of a product as stored: its version, when it went live, and, when at hand,
/// the JSON text. Channels that publish the same version share one instance. Start-up restores
/// products from their stored facts without the text; it is read from the database, parsed and
/// rendered only when a head first asks for the product's detail.
public final class PublishedDocument: Sendable {
    /// The product's ID.
    public let productId: String
    /// The published version.
    public let version: Int
    /// When it went live, RFC 3339.
    public let at: String
    /// The product document, JSON, if it was at hand when the product was projected.
    public let text: String?

    /// Wraps a stored document.
    public init(productId: String, version: Int, at: String, text: String?) {
        self.productId = productId
        self.version = version
        self.at = at
        self.text = text
    }
}
