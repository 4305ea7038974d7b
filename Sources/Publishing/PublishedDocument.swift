/// A published copy of a product as stored: its version, when it went live, and the JSON text.
/// Channels that publish the same version share one instance. The text is parsed again only
/// when a head first asks for the product's detail, so start-up does not build every body.
public final class PublishedDocument: Sendable {
    /// The product's ID.
    public let productId: String
    /// The published version.
    public let version: Int
    /// When it went live, RFC 3339.
    public let at: String
    /// The product document, JSON.
    public let text: String

    /// Wraps a stored document.
    public init(productId: String, version: Int, at: String, text: String) {
        self.productId = productId
        self.version = version
        self.at = at
        self.text = text
    }
}
