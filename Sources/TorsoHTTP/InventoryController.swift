import Access
import Foundation
import Hummingbird
import Inventory
import TorsoKit
import Workflows

/// The inventory API for stock systems (an ERP, a warehouse system, a till): levels with what
/// is held and available, batches of adjustments, and their log.
public struct InventoryController: Sendable {
    /// The largest adjustment batch body: 10,000 rows fit with room to spare.
    static let maxBatchBody = 8 << 20
    let service: StockService

    /// Creates the controller.
    public init(service: StockService) { self.service = service }

    /// Adds the routes to the admin group.
    public func addRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>) {
        routes.get("inventory", APIOperation(
            "Stock levels per variant and location: on_hand, reserved (active holds) and available, by SKU then location (cursor pagination)",
            tag: "inventory", caller: .scope(.inventoryRead), answer: .json(.ref("InventoryLevelPage")),
            parameters: APIOperation.Parameter.page + [
                .query("sku"), .query("location"), .query("product_id"),
                .query("below", .integer, "Only levels with fewer units available than this (low stock)."),
            ]), use: levels)
        routes.post("inventory/adjustments", APIOperation(
            "Adjust stock: up to 10,000 rows by SKU or variant_id and location, each set (absolute count), delta or transfer_to + quantity; all or nothing, with a pointer to each bad row (Idempotency-Key accepted)",
            tag: "inventory", caller: .scope(.inventoryWrite), body: AdjustmentBatchRequest.apiSchema, status: .created,
            answer: .json(.ref("AdjustmentReceipt")), parameters: [.header("Idempotency-Key")]), use: adjust)
        routes.get("inventory/adjustments", APIOperation(
            "The adjustment log, newest first: who, when, why, before and after (cursor pagination)",
            tag: "inventory", caller: .scope(.inventoryRead), answer: .json(.ref("StockAdjustmentPage")),
            parameters: APIOperation.Parameter.page + [.query("sku"), .query("location"), .query("batch")]), use: adjustments)
    }

    @Sendable func levels(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.inventoryRead)
        let query = request.uri.queryParameters
        var errors = ValidationErrors()
        request.allowOnly(["limit", "cursor", "sku", "location", "product_id", "below"], into: &errors)
        var below: Int?
        if let text = query["below"] {
            below = Int(String(text)).flatMap { $0 >= 1 ? $0 : nil }
            if below == nil { errors.add("/query/below", "invalid_value", "below is a whole number of units, 1 or more.") }
        }
        try errors.throwIfAny()
        let filter = InventoryFilter(sku: query["sku"].map(String.init), location: query["location"].map(String.init), below: below,
                                     productId: query["product_id"].map(String.init))
        return try JSONResponse.make(try await service.levels(filter, page: try request.pageRequest()))
    }

    @Sendable func adjust(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(.inventoryWrite)
        try request.allowOnly([])
        let body = try await request.jsonBody(context: context, limit: Self.maxBatchBody)
        let batch = try AdjustmentBatchRequest.decodeBatch(body.value)
        let response = try await service.adjust(batch, context: try request.writeContext(principal: principal, body: body.bytes))
        return JSONResponse.raw(response.body, status: .init(code: response.status))
    }

    @Sendable func adjustments(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.inventoryRead)
        try request.allowOnly(["limit", "cursor", "sku", "location", "batch"])
        let query = request.uri.queryParameters
        let filter = AdjustmentFilter(sku: query["sku"].map(String.init), location: query["location"].map(String.init),
                                      batch: query["batch"].map(String.init))
        return try JSONResponse.make(try await service.adjustments(filter, page: try request.pageRequest()))
    }
}
