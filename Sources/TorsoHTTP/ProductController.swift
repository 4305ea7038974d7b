import Access
import Catalog
import Hummingbird
import TorsoKit
import Workflows

/// Product routes beyond the generic ones: the filtered list, completeness and history.
public struct ProductController: Sendable {
    let products: ResourceService<ProductPolicy>
    let queries: CatalogQueries

    /// Creates the controller.
    public init(products: ResourceService<ProductPolicy>, queries: CatalogQueries) {
        self.products = products
        self.queries = queries
    }

    /// Adds the routes to a group at `/admin/v1`; register before the generic product routes.
    public func addRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>) {
        routes.get("products", APIOperation("List products (cursor pagination); filter with q, product_type, category (with its sub-categories)",
                                            tag: "products", caller: .scope(.catalogRead), answer: .json(.ref("ProductPage")),
                                            parameters: APIOperation.Parameter.page + [.query("q"), .query("product_type"), .query("category")]),
                   use: list)
        routes.get("products/:key/completeness", APIOperation("Completeness per channel and locale", tag: "products",
                                                              caller: .scope(.catalogRead), answer: .json(.ref("Completeness"))),
                   use: completeness)
        routes.get("products/:key/history", APIOperation("Every change with actor, time, version and field differences", tag: "products",
                                                         caller: .scope(.catalogRead), answer: .json(.ref("HistoryPage")),
                                                         parameters: APIOperation.Parameter.page), use: history)
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.catalogRead)
        let query = request.uri.queryParameters
        for (name, value) in query where value.utf8.contains(0) {
            throw DomainError.validation([FieldError(pointer: "/query/\(name)", code: "invalid_value", detail: "A parameter cannot contain NUL.")])
        }
        let page = try await queries.products(
            query: query["q"].map(String.init), productType: query["product_type"].map(String.init),
            category: query["category"].map(String.init), page: try request.pageRequest())
        return try JSONResponse.make(page)
    }

    @Sendable func completeness(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.catalogRead)
        return try JSONResponse.make(try await queries.completeness(of: try context.parameters.path("key")))
    }

    @Sendable func history(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.catalogRead)
        return try JSONResponse.make(try await products.history(try context.parameters.path("key"), page: try request.pageRequest()))
    }
}
