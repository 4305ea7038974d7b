// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Torso",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "torso", targets: ["torso"]),
        .executable(name: "torso-bench", targets: ["TorsoBench"]),
        .library(name: "TorsoApp", targets: ["TorsoApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
    ],
    targets: [
        // Value types every module shares. Foundation only.
        .target(name: "TorsoKit"),
        // Domain modules: import TorsoKit, never each other.
        .target(name: "Channels", dependencies: ["TorsoKit"]),
        .target(name: "Catalog", dependencies: ["TorsoKit"]),
        .target(name: "Inventory", dependencies: ["TorsoKit"]),
        // Prices, tax, promotions, shipping, totals, orders, payments, stock allocation. Pure.
        .target(name: "Commerce", dependencies: ["TorsoKit"]),
        // Customers, their addresses and sessions. Pure.
        .target(name: "Customers", dependencies: ["TorsoKit"]),
        .target(name: "Access", dependencies: [
            "TorsoKit",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The outbox's events and webhook subscriptions, signing and retry rules. Pure.
        .target(name: "Events", dependencies: [
            "TorsoKit",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Import and export formats: CSV and NDJSON readers, Shopify's columns, import jobs. Pure.
        .target(name: "Exchange", dependencies: ["TorsoKit", "Catalog"]),
        // The published, per-channel view of the catalog and its in-memory projections, priced
        // with Commerce's (pure) price lists.
        .target(name: "Publishing", dependencies: ["TorsoKit", "Catalog", "Channels", "Commerce", "Inventory"]),
        // Writes that span modules.
        .target(name: "Workflows", dependencies: [
            "TorsoKit", "Channels", "Catalog", "Inventory", "Access", "Publishing", "Commerce", "Customers", "Events", "Exchange",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        ]),
        // SQL repositories and frozen migrations. Never Hummingbird.
        .target(name: "TorsoStorage", dependencies: [
            "TorsoKit", "Catalog", "Inventory", "Access", "Publishing", "Commerce", "Customers", "Events", "Exchange",
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "SQLiteKit", package: "sqlite-kit"),
            .product(name: "PostgresKit", package: "postgres-kit"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // HTTP: contexts, controllers, errors, middleware. Never a SQL driver.
        .target(name: "TorsoHTTP", dependencies: [
            "TorsoKit", "Channels", "Catalog", "Inventory", "Access", "Publishing", "Customers", "Commerce", "Events", "Exchange", "Workflows",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // The one place that wires storage to HTTP.
        .target(name: "TorsoApp", dependencies: [
            "TorsoKit", "Channels", "Catalog", "Inventory", "Access", "Publishing", "Commerce", "Events", "Exchange", "Workflows", "TorsoStorage", "TorsoHTTP",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .executableTarget(name: "torso", dependencies: [
            "TorsoApp", "TorsoStorage", "TorsoKit", "Access", "Exchange", "Workflows",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .executableTarget(name: "TorsoBench", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ], path: "Benchmarks/TorsoBench"),
        // Shared by the storage and API suites: a fresh database per test, on SQLite or PostgreSQL.
        .target(name: "TorsoTestSupport", dependencies: [
            "TorsoApp", "TorsoStorage", "Workflows", "Access", "TorsoKit",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
        ], path: "Tests/TorsoTestSupport"),
        .testTarget(name: "TorsoKitTests", dependencies: ["TorsoKit"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "TorsoKit"]),
        .testTarget(name: "PublishingTests", dependencies: ["Publishing", "Catalog", "Channels", "Commerce", "Inventory", "TorsoKit"]),
        .testTarget(name: "CommerceTests", dependencies: ["Commerce", "TorsoKit"]),
        .testTarget(name: "InventoryTests", dependencies: ["Inventory", "TorsoKit"]),
        .testTarget(name: "CustomersTests", dependencies: ["Customers", "TorsoKit"]),
        .testTarget(name: "AccessTests", dependencies: ["Access", "TorsoKit"]),
        .testTarget(name: "TorsoStorageTests", dependencies: ["TorsoStorage", "TorsoApp", "TorsoTestSupport", "Workflows", "Catalog", "Channels", "TorsoKit"]),
        // Runs the real `torso` binary: restarts, kills, the CLI beside a running server.
        .testTarget(name: "TorsoEndToEndTests", dependencies: [
            "TorsoTestSupport", "TorsoStorage", "Events", "TorsoKit", "Workflows",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "TorsoAPITests", dependencies: [
            "TorsoApp", "TorsoTestSupport", "TorsoHTTP", "Events", "Exchange", "Access", "TorsoKit", "Workflows",
            "Catalog", "Channels", "Commerce", "Customers", "Inventory", "Publishing", "TorsoStorage",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "EventsTests", dependencies: ["Events", "TorsoKit"]),
        .testTarget(name: "ExchangeTests", dependencies: ["Exchange", "Catalog", "TorsoKit"]),
        // The use cases over a real store, without HTTP: checkout, publishing, webhooks.
        .testTarget(name: "WorkflowsTests", dependencies: ["Workflows", "TorsoApp", "TorsoTestSupport", "TorsoKit", "Commerce", "Catalog", "Exchange", "Inventory"]),
    ]
)
