import Foundation
import TorsoKit

/// The rules for a webhook's URL: http or https, a host, no credentials, at most 2,048
/// characters, and — unless the operator allows private targets — a host that is neither
/// `localhost` nor a private, loopback, link-local or otherwise non-public IP literal. Names
/// are resolved when each attempt is made, and an attempt to a name that resolves to such an
/// address fails with `private_address` (see ``PrivateAddress``).
public enum WebhookTarget {
    /// The longest URL accepted.
    public static let maxLength = 2_048

    /// The host of a URL as the HTTP client will use it (IPv6 without brackets); `nil` if there is none.
    public static func host(of url: String) -> String? {
        guard let components = URLComponents(string: url), var host = components.host, !host.isEmpty else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host
    }

    /// The field error for a URL at `pointer`, or `nil` when it is acceptable.
    public static func check(_ url: String, allowPrivate: Bool, at pointer: String = "/url") -> FieldError? {
        func invalid(_ detail: String) -> FieldError { FieldError(pointer: pointer, code: "invalid_url", detail: detail) }
        guard url.count <= maxLength else { return invalid("A webhook URL is at most \(maxLength) characters.") }
        guard !url.contains(where: { $0.isWhitespace }), let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased() else {
            return invalid("'\(url)' is not an absolute URL.")
        }
        guard scheme == "http" || scheme == "https" else { return invalid("A webhook URL is http or https, not \(scheme).") }
        guard components.user == nil, components.password == nil else {
            return invalid("A webhook URL cannot carry credentials; authenticate requests by their signature.")
        }
        guard let host = host(of: url) else { return invalid("'\(url)' has no host.") }
        let allowed = host.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || ".-_:%".unicodeScalars.contains(scalar))
        }
        guard allowed else { return invalid("The host '\(host)' is neither a DNS name nor an IP address.") }
        if !allowPrivate, let kind = PrivateAddress.kind(host: host) {
            return FieldError(pointer: pointer, code: "private_address",
                              detail: "'\(host)' is a \(kind.rawValue.replacingOccurrences(of: "_", with: " ")) address; webhooks go to public hosts.")
        }
        return nil
    }
}
