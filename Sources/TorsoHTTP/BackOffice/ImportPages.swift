import Access
import Exchange
import Foundation
import Hummingbird
import TorsoKit
import Workflows

/// The back office's imports: the latest jobs, a form that uploads a file (the page's script
/// sends it to the admin API's upload handler, acting as the person, with the session's CSRF
/// token in a header and a bar for the upload), and a job's page whose bar follows the job live.
struct ImportPages: Sendable {
    let imports: ImportService
    let api: ImportController
    let channels: @Sendable () async throws -> [String]

    func addRoutes(to router: some RouterMethods<TorsoRequestContext>) {
        router.get("imports", use: list)
        router.post("imports/upload", use: upload)
        router.get("imports/:id", use: job)
        router.get("imports/:id/status", use: api.get)
        router.get("imports/:id/errors", use: api.errors)
        router.post("imports/:id/cancel", use: cancel)
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.catalogRead)
        let text = BackOfficeText(person.language)
        let jobs = try await imports.jobs(limit: 30)
        let rows = Markup.join(jobs.map { job in
            let percent = Int(job.bytes > 0 ? Double(job.bytesRead) * 100 / Double(job.bytes) : 0)
            return """
                <tr><td><a href="/admin/imports/\(job.id.rawValue)">\(job.fileName)</a></td><td>\(job.createdAt.prefix(16).replacingOccurrences(of: "T", with: " "))</td>
                <td><span class="badge">\(text["import." + job.state.rawValue])</span></td>
                <td><progress max="100" value="\(percent)" aria-label="\(job.fileName)">\(percent)%</progress></td>
                <td class="amount">\(job.counts.rows)</td><td class="amount">\(job.counts.failed)</td></tr>
                """
        })
        var form: Markup = ""
        if person.user.role.scopes.contains(.catalogWrite), person.user.locales == nil, person.user.channels == nil {
            let boxes = Markup.join(try await channels().filter(person.user.mayPublish(to:)).map { channel in
                "<label class=\"check\"><input type=\"checkbox\" name=\"publish\" value=\"\(channel)\"> \(channel)</label>"
            })
            let setStock: Markup = person.user.role.scopes.contains(.inventoryWrite)
                ? "<option value=\"set\">\(text["stock_set"])</option>" : ""
            form = """
                <form id="import-form" class="panel" data-csrf="\(person.session.csrf)">
                <label for="file">\(text["file"])</label><input type="file" id="file" name="file" required accept=".csv,.ndjson,.jsonl,.txt">
                <div class="row"><div><label for="format">\(text["format"])</label><select id="format" name="format">
                <option value="auto">\(text["format_auto"])</option><option value="csv">Torso CSV</option><option value="ndjson">NDJSON</option>
                <option value="shopify">Shopify CSV</option></select></div>
                <div><label for="mode">\(text["mode"])</label><select id="mode" name="mode"><option value="upsert">\(text["mode_upsert"])</option>
                <option value="create">\(text["mode_create"])</option><option value="update">\(text["mode_update"])</option></select></div>
                <div><label for="stock">\(text["stock"])</label><select id="stock" name="stock"><option value="initial">\(text["stock_initial"])</option>\(setStock)</select></div></div>
                <fieldset><legend>\(text["publish_complete"])</legend>\(boxes)</fieldset>
                <p><button type="submit" id="import-start">\(text["import_start"])</button>
                <progress id="upload-progress" max="100" value="0" hidden></progress></p>
                <p id="import-problem" class="error" role="alert" hidden></p>
                <noscript><p class="error">\(text["import_needs_script"])</p></noscript></form>
                """
        }
        return BackOfficeResponse.page(BackOfficeLayout.page(title: text["imports"], person: person, current: "/admin/imports", body: """
            <h1>\(text["imports"])</h1>\(form)
            <h2>\(text["latest_imports"])</h2>
            <table><thead><tr><th>\(text["file"])</th><th>\(text["when"])</th><th>\(text["status"])</th><th>\(text["progress"])</th>
            <th class="amount">\(text["rows"])</th><th class="amount">\(text["failed"])</th></tr></thead><tbody>\(rows)</tbody></table>
            \(jobs.isEmpty ? Markup("<p>\(text["none"])</p>") : "")
            """))
    }

    /// The admin API's upload, for people without limits to locales or channels (a file's
    /// columns reach every locale and channel).
    @Sendable func upload(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.signedInWithoutLimits(.catalogWrite)
        return try await api.start(request, context: context)
    }

    @Sendable func job(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let person = try context.signedIn(.catalogRead)
        let job = try await imports.job(try context.parameters.require("id"))
        return BackOfficeResponse.page(ImportJobPage(job: job, figures: try ImportController.json(job), person: person).render())
    }

    /// Stops a job after the batch it is in.
    @Sendable func cancel(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.signedInWithoutLimits(.catalogWrite)
        let id = try context.parameters.require("id")
        _ = try await imports.cancel(id)
        return BackOfficeResponse.redirect("/admin/imports/\(id)")
    }
}
