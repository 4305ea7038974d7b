import Events
import Testing

/// Which hosts count as private, and which URLs a webhook may have.
@Suite struct WebhookPrivateAddressTests {
    static let table: [(String, PrivateAddress.Kind?)] = [
        ("127.0.0.1", .loopback), ("127.255.1.2", .loopback), ("::1", .loopback), ("[::1]", .loopback),
        ("10.0.0.1", .privateNetwork), ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork),
        ("192.168.1.1", .privateNetwork), ("fc00::1", .privateNetwork), ("fd12:3456:789a::1", .privateNetwork), ("fec0::1", .privateNetwork),
        ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal), ("fe80::1%eth0", .linkLocal), ("[fe80::abcd%25en0]", .linkLocal),
        ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified), ("::", .unspecified),
        ("100.64.0.1", .sharedAddressSpace), ("100.127.255.255", .sharedAddressSpace),
        ("224.0.0.1", .multicast), ("ff02::1", .multicast), ("255.255.255.255", .reserved), ("240.0.0.1", .reserved),
        ("192.0.2.10", .reserved), ("2001:db8::1", .reserved),
        ("localhost", .localhost), ("LOCALHOST", .localhost), ("localhost.", .localhost), ("api.localhost", .localhost),
        // IPv4 inside IPv6
        ("::ffff:127.0.0.1", .loopback), ("::ffff:7f00:1", .loopback), ("::ffff:10.1.2.3", .privateNetwork),
        ("::ffff:169.254.169.254", .linkLocal), ("64:ff9b::10.0.0.1", .privateNetwork), ("2002:c0a8:0101::1", .privateNetwork),
        ("::127.0.0.1", .loopback),
        // IPv4 the way inet_aton reads it
        ("127.1", .loopback), ("2130706433", .loopback), ("0x7f000001", .loopback), ("017700000001", .loopback),
        ("0x7f.0.0.1", .loopback), ("10.1", .privateNetwork), ("0", .unspecified),
        // public
        ("8.8.8.8", nil), ("1.1.1.1", nil), ("100.63.255.255", nil), ("100.128.0.0", nil), ("172.15.255.255", nil),
        ("172.32.0.0", nil), ("192.169.0.1", nil), ("169.255.0.1", nil), ("2606:4700:4700::1111", nil), ("::ffff:8.8.8.8", nil),
        ("2a00:1450:4001:80b::200e", nil), ("hooks.example.com", nil), ("localhost.example.com", nil), ("my-localhost", nil),
        ("deadbeef", nil), ("256.1.1.1", nil), ("1.2.3.4.5", nil),
    ]

    @Test(arguments: table)
    func classifies(host: String, expected: PrivateAddress.Kind?) {
        // Given / When / Then
        #expect(PrivateAddress.kind(host: host) == expected, "\(host)")
    }

    @Test func parsesAddressesExactly() {
        // Given / When / Then
        #expect(PrivateAddress.ipv4("127.1") == [127, 0, 0, 1])
        #expect(PrivateAddress.ipv4("1.2.3") == [1, 2, 0, 3])
        #expect(PrivateAddress.ipv4("0x0A.010.0.1") == [10, 8, 0, 1])
        #expect(PrivateAddress.ipv4("4294967296") == nil)
        #expect(PrivateAddress.ipv4("1..2") == nil)
        #expect(PrivateAddress.ipv4("08") == nil, "8 is not an octal digit")
        #expect(PrivateAddress.ipv6("1::") == [0, 1] + Array(repeating: 0, count: 14))
        #expect(PrivateAddress.ipv6("::ffff:1.2.3.4") == Array(repeating: 0, count: 10) + [255, 255, 1, 2, 3, 4])
        #expect(PrivateAddress.ipv6("1:2:3:4:5:6:7:8") == [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8])
        #expect(PrivateAddress.ipv6("1:2:3:4:5:6:7:8:9") == nil)
        #expect(PrivateAddress.ipv6("1::2::3") == nil)
        #expect(PrivateAddress.ipv6("12345::") == nil)
        #expect(PrivateAddress.ipv6("example.com") == nil)
        #expect(PrivateAddress.isLiteral("10.0.0.1") && PrivateAddress.isLiteral("[::1]") && !PrivateAddress.isLiteral("example.com"))
    }

    static let urls: [(String, String?)] = [
        ("https://hooks.example.com/torso", nil), ("http://hooks.example.com:8080/a?b=c", nil), ("https://8.8.8.8/x", nil),
        ("HTTPS://HOOKS.EXAMPLE.COM/", nil), ("https://[2606:4700:4700::1111]/hook", nil),
        ("ftp://hooks.example.com/", "invalid_url"), ("hooks.example.com/path", "invalid_url"), ("https:///path", "invalid_url"),
        ("https://user:pass@hooks.example.com/", "invalid_url"), ("https://token@hooks.example.com/", "invalid_url"),
        ("https://hooks.example.com/a b", "invalid_url"), ("", "invalid_url"), ("javascript:alert(1)", "invalid_url"),
        ("https://hooks.example.com/" + String(repeating: "a", count: 2_100), "invalid_url"),
        ("http://127.0.0.1:9000/hook", "private_address"), ("http://localhost/hook", "private_address"),
        ("http://[::1]:8080/", "private_address"), ("http://169.254.169.254/latest/meta-data", "private_address"),
        ("http://0x7f000001/", "private_address"), ("http://[::ffff:192.168.0.1]/", "private_address"),
        ("https://admin.localhost/", "private_address"), ("http://100.64.1.1/", "private_address"),
    ]

    @Test(arguments: urls)
    func checksWebhookURLs(url: String, code: String?) {
        // Given / When
        let error = WebhookTarget.check(url, allowPrivate: false)
        // Then
        #expect(error?.code == code, "\(url): \(String(describing: error))")
        #expect(error == nil || error?.pointer == "/url")
    }

    @Test func privateTargetsPassWhenAllowed() {
        // Given / When / Then
        #expect(WebhookTarget.check("http://127.0.0.1:9000/hook", allowPrivate: true) == nil)
        #expect(WebhookTarget.check("http://localhost/hook", allowPrivate: true) == nil)
        #expect(WebhookTarget.check("ftp://127.0.0.1/", allowPrivate: true)?.code == "invalid_url")
        #expect(WebhookTarget.host(of: "http://[::1]:8080/x") == "::1")
        #expect(WebhookTarget.host(of: "https://Hooks.Example.com/x")?.lowercased() == "hooks.example.com")
    }
}
