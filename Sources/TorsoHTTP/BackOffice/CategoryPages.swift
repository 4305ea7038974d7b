import Access
import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import TorsoKit
import Workflows

/// The back office's category tree: names in the person's language with their slugs, a category
/// moved up or down among its siblings (at the versions the page showed), and a new one under
/// any parent — through the same rules as the admin API.
struct CategoryPages: Sendable {
    let categories: ResourceService<CategoryPolicy>

    func addRoutes(to router: some RouterMethods<TorsoRequestContext>) {
        router.get("categories", use: tree)
        router.post("categories", use: create)
        router.post("categories/:id/move", use: move)
    }

    @Sendable func tree(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        BackOfficeResponse.page(try await page(person: try context.signedIn(.catalogRead)))
    }

    func page(person: BackOfficePerson, notice: Markup? = nil, problem: Markup? = nil) async throws -> Markup {
        let text = BackOfficeText(person.language)
        let locale = person.language == .de ? "de-DE" : "en-US"
        let all = try await categories.list(PageRequest(limit: 1_000)).data
        let children = Dictionary(grouping: all) { $0.parentId?.rawValue ?? "" }.mapValues { $0.sorted { ($0.position, $0.key) < ($1.position, $1.key) } }
        let writes = person.user.role.scopes.contains(.catalogWrite)
        func name(_ category: Catalog.Category) -> String { category.names[locale] ?? category.names.locales.first.flatMap { category.names[$0] } ?? category.key }
        func branch(_ parent: String, depth: Int) -> Markup {
            guard let items = children[parent], !items.isEmpty, depth < 20 else { return "" }
            let nodes = Markup.join(items.enumerated().map { index, category -> Markup in
                let buttons: Markup = writes ? """
                    <form method="post" action="/admin/categories/\(category.key)/move" class="inline-form"><input type="hidden" name="csrf" value="\(person.session.csrf)">
                    <button type="submit" name="direction" value="up" class="quiet" aria-label="\(text["move_up"]): \(name(category))"\(index == 0 ? Markup(raw: " disabled") : "")>↑</button>
                    <button type="submit" name="direction" value="down" class="quiet" aria-label="\(text["move_down"]): \(name(category))"\(index == items.count - 1 ? Markup(raw: " disabled") : "")>↓</button></form>
                    """ : ""
                return """
                    <li id="category-\(category.key)"><span class="node"><a href="/admin/products?category=\(category.key)">\(name(category))</a>
                    <span class="scope">\(category.slug[locale])</span>\(buttons)</span>\(branch(category.key, depth: depth + 1))</li>
                    """
            })
            return "<ul class=\"tree\">\(nodes)</ul>"
        }
        var form: Markup = ""
        if writes {
            let parents = Markup.join([Markup("<option value=\"\">\(text["top_level"])</option>")] + all.sorted { name($0) < name($1) }.map {
                "<option value=\"\($0.key)\">\(name($0))</option>"
            })
            form = """
                <h2>\(text["new_category"])</h2>
                <form method="post" action="/admin/categories" class="panel"><input type="hidden" name="csrf" value="\(person.session.csrf)">
                <div class="row"><div><label for="cat-name-en">\(text["name"]) (en-US)</label><input type="text" id="cat-name-en" name="name_en" required></div>
                <div><label for="cat-name-de">\(text["name"]) (de-DE)</label><input type="text" id="cat-name-de" name="name_de"></div>
                <div><label for="cat-slug">Slug (en-US)</label><input type="text" id="cat-slug" name="slug" required pattern="[a-z0-9]+(-[a-z0-9]+)*"></div>
                <div><label for="cat-parent">\(text["parent"])</label><select id="cat-parent" name="parent">\(parents)</select></div></div>
                <p><button type="submit" id="cat-create">\(text["new_category"])</button></p></form>
                """
        }
        return BackOfficeLayout.page(title: text["categories"], person: person, current: "/admin/categories", body: """
            <h1>\(text["categories"])</h1>\(BackOfficeLayout.messages(notice: notice, problem: problem))
            \(all.isEmpty ? Markup("<p>\(text["none"])</p>") : branch("", depth: 0))\(form)
            """)
    }

    /// Creates a category; refusals come from the admin API's rules (slug, parent, names).
    @Sendable func create(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedInWithoutLimits(.catalogWrite)
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 16 * 1_024))
        var names: [String: JSONValue] = ["en-US": .string(form["name_en"] ?? "")]
        if let german = form["name_de"], !german.isEmpty { names["de-DE"] = .string(german) }
        var body: [String: JSONValue] = ["names": .object(names), "slug": .object(["en-US": .string(form["slug"] ?? "")])]
        if let parent = form["parent"], !parent.isEmpty { body["parent_id"] = .string(parent) }
        do {
            _ = try await categories.create(.object(body), context: WriteContext(principal: person.user.principal))
        } catch let error as DomainError {
            let details = error.errors.map { "\($0.pointer): \($0.detail)" }.joined(separator: " ")
            return BackOfficeResponse.page(try await page(person: person, problem: "\(details.isEmpty ? error.detail : details)"),
                                           status: HTTPResponse.Status(code: Problem(error).status))
        }
        return BackOfficeResponse.redirect("/admin/categories")
    }

    /// Moves a category one place up or down among its siblings: the siblings are numbered again
    /// in the new order, all in one transaction, each at the version read.
    @Sendable func move(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedInWithoutLimits(.catalogWrite)
        let id = try context.parameters.require("id")
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 16 * 1_024))
        let all = try await categories.list(PageRequest(limit: 1_000)).data
        guard let moved = all.first(where: { $0.key == id }) else { throw DomainError.notFound("category", id) }
        guard let step = ["up": -1, "down": 1][form["direction"] ?? ""] else {
            return BackOfficeResponse.page(try await page(person: person, problem: "up / down?"), status: .unprocessableContent)
        }
        var siblings = all.filter { $0.parentId == moved.parentId }.sorted { ($0.position, $0.key) < ($1.position, $1.key) }
        guard let index = siblings.firstIndex(where: { $0.key == id }), siblings.indices.contains(index + step) else {
            // The first cannot go up, nor the last down: nothing changed, nothing to audit.
            var unchanged = BackOfficeResponse.redirect("/admin/categories")
            unchanged.headers[AuditMiddleware.noChange] = "1"
            return unchanged
        }
        siblings.swapAt(index, index + step)
        // All of the siblings' new positions in one transaction, each at the version read: a move
        // that loses a race changes nothing (found from outside: half a swap was written).
        let changes = siblings.enumerated().filter { $0.element.position != $0.offset }.map { position, category in
            (key: category.key, patch: JSONValue.object(["position": .number(Double(position))]), expectedVersion: Optional(category.version))
        }
        _ = try await categories.updateAll(changes, context: WriteContext(principal: person.user.principal))
        return BackOfficeResponse.redirect("/admin/categories#category-\(id)")
    }
}
