import TorsoKit

/// What is particular to one kind of resource in the generic create / patch / delete flow of
/// ``ResourceService``: its validation, the indexes it keeps, and what may stop a delete.
public protocol ResourcePolicy: Sendable {
    /// The resource kind.
    associatedtype Resource: StoredResource

    /// Settings bump the settings counter so that caches reload.
    var isSetting: Bool { get }
    /// Whether every change is kept in the resource's history.
    var recordsHistory: Bool { get }

    /// Completes a new or patched resource before validation (keeps IDs stable, say).
    func prepare(_ resource: inout Resource, previous: Resource?)
    /// Throws ``DomainError`` unless the resource may be saved.
    func validate(_ resource: Resource, previous: Resource?, in tx: any Transaction) async throws
    /// Checks what can be checked without the store, before the transaction; returns a token
    /// (the settings version it checked against) that ``validate(_:previous:in:prechecked:)`` may
    /// use to skip repeating the work.
    func precheck(_ resource: Resource, previous: Resource?) throws -> Int?
    /// ``validate(_:previous:in:)``, knowing what ``precheck(_:previous:)`` returned.
    func validate(_ resource: Resource, previous: Resource?, in tx: any Transaction, prechecked: Int?) async throws
    /// Writes what must change with the resource (unique claims, indexes).
    func didSave(_ resource: Resource, previous: Resource?, in tx: any Transaction) async throws
    /// ``didSave(_:previous:in:)``, knowing who writes and when.
    func didSave(_ resource: Resource, previous: Resource?, context: WriteContext, in tx: any Transaction) async throws
    /// The resources as reads show them and patches start from (products: with the stock on
    /// hand now, which Inventory keeps).
    func presented(_ resources: [Resource], in tx: any Transaction) async throws -> [Resource]
    /// Throws 409 when something still depends on the resource; removes its indexes otherwise.
    func willDelete(_ resource: Resource, in tx: any Transaction) async throws
}

extension ResourcePolicy {
    public var isSetting: Bool { true }
    public var recordsHistory: Bool { false }
    public func prepare(_ resource: inout Resource, previous: Resource?) {}
    public func precheck(_ resource: Resource, previous: Resource?) throws -> Int? { nil }
    public func validate(_ resource: Resource, previous: Resource?, in tx: any Transaction, prechecked: Int?) async throws {
        try await validate(resource, previous: previous, in: tx)
    }
    public func didSave(_ resource: Resource, previous: Resource?, in tx: any Transaction) async throws {}
    public func didSave(_ resource: Resource, previous: Resource?, context: WriteContext, in tx: any Transaction) async throws {
        try await didSave(resource, previous: previous, in: tx)
    }
    public func presented(_ resources: [Resource], in tx: any Transaction) async throws -> [Resource] { resources }
}

extension DomainError {
    /// 409: something still refers to the resource.
    public static func inUse(_ detail: String) -> DomainError {
        DomainError(.conflict, code: "in_use", detail: detail)
    }
}
