import PostgresKit

extension PostgresTLS {
    /// The TLS configuration for this mode; `nil` for plain TCP.
    func configuration() -> TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let rootCertificate { configuration.trustRoots = .file(rootCertificate) }
        switch mode {
        case .disable: return nil
        case .allow, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        return configuration
    }

    /// Whether TLS may be skipped when the server does not offer it.
    var optional: Bool { [.allow, .prefer].contains(mode) }

    /// One connection's TLS setting for this mode (the start-up probe).
    func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        guard let configuration = configuration() else { return .disable }
        let context = try NIOSSLContext(configuration: configuration)
        return optional ? .prefer(context) : .require(context)
    }

    /// The PostgreSQL client's TLS setting for this mode.
    func clientTLS() -> PostgresClient.Configuration.TLS {
        guard let configuration = configuration() else { return .disable }
        return optional ? .prefer(configuration) : .require(configuration)
    }
}
