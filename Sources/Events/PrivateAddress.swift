/// Which hosts a webhook may not reach unless the operator allows private targets: loopback,
/// private networks, link-local, unspecified, shared (CGNAT), multicast and reserved ranges,
/// `localhost` and `*.localhost`, and those IPv4 addresses written inside IPv6 (mapped,
/// compatible, NAT64, 6to4). IPv4 literals are read as `inet_aton` and resolvers read them
/// (`127.1`, `0x7f000001`, `017700000001`), so a disguised loopback address is still one.
public enum PrivateAddress {
    /// Why an address is not a public one.
    public enum Kind: String, Sendable, CaseIterable {
        /// 127.0.0.0/8, ::1.
        case loopback
        /// 10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10.
        case privateNetwork = "private"
        /// 169.254/16, fe80::/10.
        case linkLocal = "link_local"
        /// 0.0.0.0/8, ::.
        case unspecified
        /// 100.64/10, carrier-grade NAT.
        case sharedAddressSpace = "shared_address_space"
        /// 224/4, ff00::/8.
        case multicast
        /// 240/4 (with 255.255.255.255), 192.0.0/24, documentation and benchmarking ranges, 2001:db8::/32.
        case reserved
        /// `localhost` and names under it.
        case localhost
    }

    /// The kind of a host as written in a URL (a name, an IPv4 literal, or an IPv6 literal with
    /// or without brackets and zone); `nil` for a public address or a name to resolve.
    public static func kind(host: String) -> Kind? {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if name == "localhost" || name.hasSuffix(".localhost") { return .localhost }
        if let bytes = ipv4(name) { return kind(ipv4: bytes) }
        if let bytes = ipv6(name) { return kind(ipv6: bytes) }
        return nil
    }

    /// Whether a host is an IP literal rather than a name.
    public static func isLiteral(_ host: String) -> Bool {
        var name = host
        if name.hasSuffix(".") { name.removeLast() }
        return ipv4(name) != nil || ipv6(name) != nil
    }

    /// The kind of an IPv4 address; `nil` if it is public.
    public static func kind(ipv4 b: [UInt8]) -> Kind? {
        precondition(b.count == 4)
        switch (b[0], b[1], b[2]) {
        case (0, _, _): return .unspecified
        case (10, _, _): return .privateNetwork
        case (100, 64...127, _): return .sharedAddressSpace
        case (127, _, _): return .loopback
        case (169, 254, _): return .linkLocal
        case (172, 16...31, _): return .privateNetwork
        case (192, 0, 0), (192, 0, 2), (198, 18...19, _), (198, 51, 100), (203, 0, 113): return .reserved
        case (192, 168, _): return .privateNetwork
        case (224...239, _, _): return .multicast
        case (240...255, _, _): return .reserved
        default: return nil
        }
    }

    /// The kind of an IPv6 address; `nil` if it is public.
    public static func kind(ipv6 b: [UInt8]) -> Kind? {
        precondition(b.count == 16)
        let head = b[0..<10].allSatisfy { $0 == 0 }
        if head, b[10] == 0, b[11] == 0 {
            // ::, ::1, and the deprecated IPv4-compatible ::a.b.c.d
            if b[12..<15].allSatisfy({ $0 == 0 }) {
                if b[15] == 0 { return .unspecified }
                if b[15] == 1 { return .loopback }
            }
            return kind(ipv4: Array(b[12..<16]))
        }
        if head, b[10] == 0xff, b[11] == 0xff { return kind(ipv4: Array(b[12..<16])) }  // ::ffff:a.b.c.d
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xff, b[3] == 0x9b, b[4..<12].allSatisfy({ $0 == 0 }) {
            return kind(ipv4: Array(b[12..<16]))  // NAT64 64:ff9b::a.b.c.d
        }
        if b[0] == 0x20, b[1] == 0x02 { return kind(ipv4: Array(b[2..<6])) }  // 6to4 2002:aabb:ccdd::
        if b[0] & 0xfe == 0xfc { return .privateNetwork }  // fc00::/7
        if b[0] == 0xfe, b[1] & 0xc0 == 0x80 { return .linkLocal }  // fe80::/10
        if b[0] == 0xfe, b[1] & 0xc0 == 0xc0 { return .privateNetwork }  // fec0::/10, site-local
        if b[0] == 0xff { return .multicast }
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0d, b[3] == 0xb8 { return .reserved }  // 2001:db8::/32
        return nil
    }

    /// Parses an IPv4 address the way `inet_aton` does: one to four parts, each decimal, octal
    /// (leading 0) or hex (0x); the last part fills the remaining bytes.
    public static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt64] = []
        for part in parts {
            var digits = Substring(part)
            var radix: UInt64 = 10
            if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
                radix = 16
                digits = digits.dropFirst(2)
            } else if digits.count > 1, digits.hasPrefix("0") {
                radix = 8
                digits = digits.dropFirst()
            }
            guard !digits.isEmpty, digits.count <= 12 else { return nil }
            var value: UInt64 = 0
            for character in digits {
                guard let digit = character.hexDigitValue, UInt64(digit) < radix else { return nil }
                value = value * radix + UInt64(digit)
            }
            values.append(value)
        }
        for value in values.dropLast() where value > 255 { return nil }
        let lastBytes = 5 - values.count
        guard values[values.count - 1] < (UInt64(1) << (8 * UInt64(lastBytes))) else { return nil }
        var bytes = values.dropLast().map { UInt8($0) }
        let last = values[values.count - 1]
        for index in stride(from: lastBytes - 1, through: 0, by: -1) {
            bytes.append(UInt8((last >> (8 * UInt64(index))) & 0xff))
        }
        return bytes
    }

    /// Parses an IPv6 address (brackets and a `%zone` allowed), with `::` and a trailing dotted IPv4.
    public static func ipv6(_ text: String) -> [UInt8]? {
        var body = Substring(text)
        if body.hasPrefix("["), body.hasSuffix("]") { body = body.dropFirst().dropLast() }
        if let zone = body.firstIndex(of: "%") { body = body[..<zone] }
        guard body.contains(":") else { return nil }
        func groups(_ part: Substring) -> [UInt8]? {
            if part.isEmpty { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    // A dotted quad, strictly decimal, ends the address.
                    let octets = piece.split(separator: ".", omittingEmptySubsequences: false)
                    guard octets.count == 4 else { return nil }
                    for octet in octets {
                        guard (1...3).contains(octet.count), octet.allSatisfy(\.isASCII), let value = UInt8(octet),
                              octet.count == 1 || !octet.hasPrefix("0") else { return nil }
                        bytes.append(value)
                    }
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xff)]
            }
            return bytes
        }
        let halves = body.components(separatedBy: "::")
        switch halves.count {
        case 1:
            guard let bytes = groups(body), bytes.count == 16 else { return nil }
            return bytes
        case 2:
            guard let left = groups(Substring(halves[0])), let right = groups(Substring(halves[1])),
                  left.count + right.count <= 14 else { return nil }
            return left + Array(repeating: 0, count: 16 - left.count - right.count) + right
        default:
            return nil
        }
    }
}
