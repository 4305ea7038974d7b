import Access
import Catalog
import Exchange
import Foundation
import Hummingbird
import TorsoKit
import Workflows

extension BackOfficeController {
    /// Saves the editor's values: only slots whose text changed are written, each checked
    /// against the person's locales and channels; the form's version goes as `If-Match`, so a
    /// change made meanwhile by someone else is shown, not overwritten.
    @Sendable func save(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.catalogWrite)
        let id = try context.parameters.require("id")
        let text = BackOfficeText(person.language)
        var request = request
        let form = FormFields(try await request.collectBody(upTo: context.maxUploadSize))
        let page = try await editorPage(id, person: person)
        let product = page.product
        var changed: [String: [AttributeValue]] = [:]
        var refused: [String] = [], invalid: [String] = []
        for slot in ProductEditorPage.slots(product, page.context) {
            guard let sent = form[slot.field]?.trimmingCharacters(in: .whitespacesAndNewlines),
                  sent != ProductEditorPage.text(product, slot) else { continue }
            if slot.locale.map({ !person.user.mayEdit(locale: $0) }) ?? false || slot.channel.map({ !person.user.mayEdit(channel: $0) }) ?? false {
                refused.append([slot.attribute, slot.locale, slot.channel].compactMap { $0 }.joined(separator: " · "))
                continue
            }
            var entries = changed[slot.attribute] ?? product.values[slot.attribute] ?? []
            entries.removeAll { $0.locale == slot.locale && $0.channel == slot.channel }
            if !sent.isEmpty {
                guard let type = page.context.attributes[slot.attribute]?.type, let data = CellValue.parse(sent, as: type) else {
                    invalid.append(slot.attribute)
                    continue
                }
                entries.append(AttributeValue(locale: slot.locale, channel: slot.channel, data: data))
            }
            changed[slot.attribute] = entries
        }
        if !refused.isEmpty {
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(text["not_yours"]) \(refused.joined(separator: ", ")).\(Markup(raw: ""))"),
                                           status: .forbidden)
        }
        if !invalid.isEmpty {
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(invalid.joined(separator: ", ")): ?"), status: .unprocessableContent)
        }
        guard !changed.isEmpty else { return BackOfficeResponse.redirect("/admin/products/\(id)?done=saved") }
        let values = JSONValue.object(changed.mapValues { entries in .array(entries.map { try! JSONCoding.tree($0) }) })
        do {
            _ = try await products.update(id, patch: .object(["values": values]), expectedVersion: Int(form["version"] ?? ""),
                                          context: WriteContext(principal: person.user.principal))
        } catch let error as DomainError where error.code == "version_mismatch" {
            let theirs = page.history.filter { $0.version > Int(form["version"] ?? "") ?? 0 }
            let changes = theirs.flatMap { entry in entry.changes.map { "\(entry.actor.name): \($0.path) → \($0.to.map { String(decoding: $0.jsonBytes(), as: UTF8.self) } ?? "–")" } }
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(text["conflict"])<pre>\(changes.joined(separator: "\n"))</pre>"),
                                           status: .conflict)
        } catch let error as DomainError {
            let details = error.errors.map { "\($0.pointer): \($0.detail)" }.joined(separator: "; ")
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(error.detail) \(details)"), status: .unprocessableContent)
        }
        return BackOfficeResponse.redirect("/admin/products/\(id)?done=saved")
    }

    /// Publishes the product to the channels ticked (those the person may publish to).
    @Sendable func publish(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.catalogWrite)
        let id = try context.parameters.require("id")
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 64 * 1_024))
        let channels = form.all("channels")
        guard !channels.isEmpty, channels.allSatisfy(person.user.mayEdit(channel:)) else {
            let page = try await editorPage(id, person: person)
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(BackOfficeText(person.language)["channels"]): \(channels.joined(separator: ", "))"),
                                           status: channels.isEmpty ? .unprocessableContent : .forbidden)
        }
        do {
            _ = try await publishing.publish(id, body: .object(["channels": .array(channels.map(JSONValue.string))]),
                                             context: WriteContext(principal: person.user.principal))
        } catch let error as DomainError {
            let page = try await editorPage(id, person: person)
            let details = error.errors.map { "\($0.pointer): \($0.detail)" }.joined(separator: "; ")
            return BackOfficeResponse.page(page.render(notice: nil, problem: "\(error.detail) \(details)"), status: .unprocessableContent)
        }
        return BackOfficeResponse.redirect("/admin/products/\(id)?done=published")
    }
}

/// The dashboard's completeness figures, read at most every 30 seconds: with 100,000 products
/// reading them all takes seconds, and the page must answer at once.
actor DashboardFigures {
    let queries: CatalogQueries
    private var cached: (at: ContinuousClock.Instant, cells: [CompletenessCell])?
    private var refreshing: Task<[CompletenessCell], any Error>?

    init(queries: CatalogQueries) { self.queries = queries }

    /// The figures: the last ones read (refreshed in the background when older than 30 s), or,
    /// the first time, read now.
    func completeness() async throws -> [CompletenessCell] {
        if let cached {
            if cached.at.duration(to: .now) > .seconds(30), refreshing == nil { startRefresh() }
            return cached.cells
        }
        if refreshing == nil { startRefresh() }
        return try await refreshing!.value
    }

    private func startRefresh() {
        let queries = queries
        refreshing = Task {
            defer { Task { await self.finished() } }
            let cells = try await queries.completenessSummary()
            await self.store(cells)
            return cells
        }
    }

    private func store(_ cells: [CompletenessCell]) { cached = (.now, cells) }
    private func finished() { refreshing = nil }
}
