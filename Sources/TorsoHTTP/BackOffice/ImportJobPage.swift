import Access
import Exchange
import TorsoKit

/// One import job: its bar, counts, speed and time left, which the page's script keeps up to date
/// from `/admin/imports/{id}/status` while the job runs, then what it ended with.
struct ImportJobPage {
    let job: ImportJob
    /// The job as the admin API answers it (percent, rows per second, seconds left).
    let figures: JSONValue
    let person: BackOfficePerson

    func render() -> Markup {
        let text = BackOfficeText(person.language)
        let running = [ImportJob.State.queued, .running].contains(job.state)
        let percent = figures.objectValue?["percent"]?.numberValue ?? 0
        let counts: [(String, Int)] = [("rows", job.counts.rows), ("created", job.counts.created), ("updated", job.counts.updated),
                                      ("skipped", job.counts.skipped), ("failed", job.counts.failed)]
        let cells = Markup.join(counts.map { key, value in
            "<div class=\"card\">\(text[key])<strong id=\"count-\(key)\">\(value)</strong></div>"
        })
        let rate = figures.objectValue?["rows_per_second"]?.numberValue.map { String(Int($0.rounded())) } ?? "–"
        let left = figures.objectValue?["seconds_left"]?.numberValue.map { "\(Int($0)) s" } ?? "–"
        var notes: [Markup] = []
        if let failure = job.failure { notes.append("<p class=\"error\" role=\"alert\">\(failure)</p>") }
        if !job.ignoredColumns.isEmpty { notes.append("<p>\(text["ignored_columns"]): <code>\(job.ignoredColumns.joined(separator: ", "))</code></p>") }
        if job.published > 0 { notes.append("<p>\(text["published_count"]): \(job.published)</p>") }
        if job.errorCount > 0 {
            notes.append("<p><a href=\"/admin/imports/\(job.id.rawValue)/errors?format=csv\" id=\"error-report\">\(text["error_report"]) (\(job.errorCount))</a></p>")
        }
        let cancel: Markup = running && person.user.role.scopes.contains(.catalogWrite) ? """
            <form method="post" action="/admin/imports/\(job.id.rawValue)/cancel"><input type="hidden" name="csrf" value="\(person.session.csrf)">
            <button type="submit" class="danger" id="import-cancel">\(text["import_cancel"])</button></form>
            """ : ""
        return BackOfficeLayout.page(title: job.fileName, person: person, current: "/admin/imports", body: """
            <p><a href="/admin/imports">← \(text["imports"])</a></p>
            <h1>\(job.fileName) <span class="badge" id="import-state">\(text["import." + job.state.rawValue])</span></h1>
            <p>\(job.format.rawValue) · \(job.mode.rawValue) · \(job.createdAt.prefix(19).replacingOccurrences(of: "T", with: " ")) · <code>\(job.id.rawValue)</code></p>
            <div class="bar-line"\(running ? Markup(" data-import-poll=\"/admin/imports/\(job.id.rawValue)/status\"") : "")>
            <progress id="import-progress" max="100" value="\(Int(percent.rounded()))" aria-label="\(text["progress"])"></progress>
            <span id="import-percent">\(Int(percent.rounded()))%</span> · <span id="import-rate">\(rate)</span> \(text["rows_per_second"])
            · <span id="import-left">\(left)</span> \(text["left"])</div>
            <div class="cards">\(cells)</div>
            \(notes)\(cancel)
            <noscript><p><a href="/admin/imports/\(job.id.rawValue)">\(text["refresh"])</a></p></noscript>
            """)
    }
}
