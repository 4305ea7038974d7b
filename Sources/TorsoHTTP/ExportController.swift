import Access
import Exchange
import Foundation
import Hummingbird
import TorsoKit
import Workflows

/// `GET /admin/v1/exports/products`: the catalog as NDJSON (the admin API's product JSON, one
/// per line) or Torso's CSV, streamed a page at a time (constant memory, any size).
public struct ExportController: Sendable {
    let queries: ExportService

    /// Creates the controller.
    public init(queries: ExportService) { self.queries = queries }

    /// Adds the routes to the admin group.
    public func addRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>) {
        routes.get("exports/products", APIOperation(
            "Export products: format=ndjson (default; the admin API's product JSON per line, stock included) or csv (one row per variant, importable as it is); channel (published there; its values only in CSV), locale (CSV columns), category (ID or slug), updated_since",
            tag: "imports", caller: .scope(.catalogRead), answer: .texts(["application/x-ndjson", "text/csv"]),
            parameters: [.query("format", .string(enumeration: ["ndjson", "csv"])), .query("channel"), .query("locale"), .query("category"),
                         .query("updated_since", .string(format: "date-time"))]), use: export)
    }

    @Sendable func export(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.catalogRead)
        var errors = ValidationErrors()
        request.allowOnly(["format", "channel", "locale", "category", "updated_since"], into: &errors)
        let query = request.uri.queryParameters
        let format = query["format"].map(String.init) ?? "ndjson"
        if !["ndjson", "csv"].contains(format) { errors.add("/query/format", "invalid_value", "format is ndjson or csv.") }
        let since = query["updated_since"].map(String.init)
        if let since, Timestamp.parse(since) == nil { errors.add("/query/updated_since", "invalid_date", "updated_since is an RFC 3339 time.") }
        try errors.throwIfAny()
        let filter = ExportService.Filter(channel: query["channel"].map(String.init), category: query["category"].map(String.init),
                                          updatedSince: since.flatMap(Timestamp.parse).map(Timestamp.string))
        let (layout, resolved) = try await queries.layout(filter, locale: query["locale"].map(String.init))
        let queries = self.queries
        let csv = format == "csv"
        let body = ResponseBody { writer in
            if csv { try await writer.write(ByteBuffer(string: CSVWriter.row(layout.header))) }
            var cursor: String?
            repeat {
                let page = try await queries.page(resolved, cursor: cursor)
                let bytes = ExportLayout.encode(page.products, layout: csv ? layout : nil)
                if !bytes.isEmpty { try await writer.write(ByteBuffer(bytes: bytes)) }
                cursor = page.next
            } while cursor != nil
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: csv ? "text/csv; charset=utf-8" : "application/x-ndjson",
                                               .contentDisposition: "attachment; filename=\"products.\(csv ? "csv" : "ndjson")\""], body: body)
    }
}
