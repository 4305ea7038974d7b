import Events
import NIOPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves a webhook's host when an attempt is made and says whether any address it gets is a
/// private one (see ``PrivateAddress``). `getaddrinfo` blocks, so it runs on a NIO thread pool,
/// never on the cooperative pool — the sender's own, so that slow DNS cannot hold up SQLite,
/// whose calls run on the shared one. A caller that is cancelled or times out stops waiting at
/// once and the lookup's late answer is dropped.
///
/// The HTTP client resolves the name again when it connects. A DNS server that answers a
/// public address to this lookup and a private one to the next (DNS rebinding) is not stopped
/// here; deployments that must rule that out block private ranges for outgoing traffic too.
enum WebhookHostResolver {
    /// A lookup that failed.
    struct LookupError: Error, CustomStringConvertible {
        var description: String
    }

    /// One resolved address.
    struct Address: Sendable {
        var bytes: [UInt8]
        /// Why it is not public, if it is not.
        var kind: PrivateAddress.Kind? { bytes.count == 4 ? PrivateAddress.kind(ipv4: bytes) : PrivateAddress.kind(ipv6: bytes) }
        /// The address as text.
        var text: String {
            if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
            return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
        }
    }

    /// The first private address among those `host` stands for, with why it is private; `nil`
    /// when every one is public. Names under `localhost` are private without a lookup.
    static func firstPrivateAddress(of host: String, on pool: NIOThreadPool) async throws -> (address: String, kind: PrivateAddress.Kind)? {
        if let kind = PrivateAddress.kind(host: host) { return (host, kind) }
        if PrivateAddress.isLiteral(host) { return nil }
        for address in try await resolve(host, on: pool) {
            if let kind = address.kind { return (address.text, kind) }
        }
        return nil
    }

    /// Every address `host` resolves to.
    static func resolve(_ host: String, on pool: NIOThreadPool) async throws -> [Address] {
        let once = Mutex<CheckedContinuation<[Address], any Error>?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[Address], any Error>) in
                once.withLock { $0 = continuation }
                pool.submit { _ in
                    let result = Result { try lookUp(host) }
                    once.withLock { $0.take() }?.resume(with: result)
                }
            }
        } onCancel: {
            once.withLock { $0.take() }?.resume(throwing: CancellationError())
        }
    }

    private static func lookUp(_ host: String) throws -> [Address] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        guard status == 0 else { throw LookupError(description: "'\(host)' did not resolve: \(String(cString: gai_strerror(status))).") }
        defer { freeaddrinfo(result) }
        var addresses: [Address] = []
        var pointer = result
        while let info = pointer {
            if info.pointee.ai_family == AF_INET, let address = info.pointee.ai_addr {
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { socket in
                    addresses.append(Address(bytes: withUnsafeBytes(of: socket.pointee.sin_addr) { Array($0) }))
                }
            } else if info.pointee.ai_family == AF_INET6, let address = info.pointee.ai_addr {
                address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { socket in
                    addresses.append(Address(bytes: withUnsafeBytes(of: socket.pointee.sin6_addr) { Array($0) }))
                }
            }
            pointer = info.pointee.ai_next
        }
        return addresses
    }
}
