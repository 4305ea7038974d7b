import Access
import Exchange
import Foundation
import Hummingbird
import TorsoKit
import Workflows

/// `/admin/v1/imports`: upload a catalog file (the body, streamed to disk) and follow its job;
/// its errors as CSV or NDJSON; cancel it.
public struct ImportController: Sendable {
    /// The largest file taken (2 GiB).
    static let maxFile = 2 << 30
    let imports: ImportService
    let directory: String

    /// Creates the controller; uploads are kept in `directory` until their job ends.
    public init(imports: ImportService, directory: String) {
        self.imports = imports
        self.directory = directory
    }

    /// Adds the routes to the admin group.
    public func addRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>) {
        var upload = APIOperation(
            "Import a catalog file (the body: NDJSON, Torso's CSV or Shopify's product CSV; format=auto tells them apart): a job that runs in the background; mode create, update or upsert (default); publish=web,app publishes what became complete; max_errors stops it",
            tag: "imports", caller: .scope(.catalogWrite), status: .accepted, answer: .json(.ref("ImportJob")),
            parameters: [.query("format", .string(enumeration: ["auto", "ndjson", "csv", "shopify"])),
                         .query("mode", .string(enumeration: ImportJob.Mode.allCases.map(\.rawValue))),
                         .query("publish", .string(), "Channels, comma-separated."), .query("max_errors", .integer),
                         .query("currency", .string(), "The currency of a Shopify file's prices (its CSV does not say); the first channel's by default."),
                         .query("stock", .string(enumeration: ImportJob.StockMode.allCases.map(\.rawValue)),
                                "initial (default): stock cells set first counts only, a count on hand stays; set: every differing count is set as an adjustment, with the inventory:write scope."),
                         .query("file_name", .string(), "The file's name, for reports and the stock adjustments' reason.")])
        upload.fileTypes = ["text/csv", "application/x-ndjson", "application/octet-stream"]
        routes.post("imports", upload, use: start)
        routes.get("imports", APIOperation("The latest import jobs, newest first", tag: "imports", caller: .scope(.catalogRead),
                                           answer: .json(.ref("ImportJobList")), parameters: [.query("limit", .boundedInteger(1...200))]), use: list)
        routes.get("imports/:id", APIOperation(
            "An import job: state, rows read, created, updated, skipped, failed, rows per second, percent and seconds left",
            tag: "imports", caller: .scope(.catalogRead), answer: .json(.ref("ImportJob"))), use: get)
        routes.get("imports/:id/errors", APIOperation(
            "The job's error report in file order: line, column, code, message; as CSV with Accept: text/csv or format=csv, else NDJSON",
            tag: "imports", caller: .scope(.catalogRead), answer: .texts(["application/x-ndjson", "text/csv"]),
            parameters: [.query("format", .string(enumeration: ["ndjson", "csv"]))]), use: errors)
        routes.post("imports/:id/cancel", APIOperation("Stop a job after the batch it is in", tag: "imports", caller: .scope(.catalogWrite),
                                                       answer: .json(.ref("ImportJob"))), use: cancel)
    }

    @Sendable func start(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        let principal = try context.require(.catalogWrite)
        var errors = ValidationErrors()
        request.allowOnly(["format", "mode", "publish", "max_errors", "file_name", "stock", "currency"], into: &errors)
        let query = request.uri.queryParameters
        let format = query["format"].map(String.init) ?? "auto"
        if !["auto", "ndjson", "csv", "shopify"].contains(format) { errors.add("/query/format", "invalid_value", "format is auto, ndjson, csv or shopify.") }
        let mode = ImportJob.Mode(rawValue: query["mode"].map(String.init) ?? "upsert")
        if mode == nil { errors.add("/query/mode", "invalid_value", "mode is create, update or upsert.") }
        let stock = ImportJob.StockMode(rawValue: query["stock"].map(String.init) ?? "initial")
        if stock == nil { errors.add("/query/stock", "invalid_value", "stock is initial or set.") }
        if stock == .set, (try? principal.require(.inventoryWrite)) == nil {
            throw DomainError(.forbidden, code: "missing_scope", detail: "stock=set changes counts on hand: it needs the inventory:write scope.")
        }
        var maxErrors: Int?
        if let text = query["max_errors"] {
            maxErrors = Int(String(text))
            if (maxErrors ?? 0) < 1 { errors.add("/query/max_errors", "out_of_range", "max_errors is 1 or more.") }
        }
        let publish = query["publish"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } } ?? []
        let fileName = String((query["file_name"].map(String.init) ?? "upload").prefix(200))
        if fileName.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            errors.add("/query/file_name", "invalid_value", "A file name has no control characters.")
        }
        try errors.throwIfAny()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(ID<ImportJobEntity>.generate().rawValue + ".upload")
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw DomainError(.unavailable, code: "busy", detail: "The server cannot store the file right now.")
        }
        var size = 0, head = Data()
        do {
            defer { try? handle.close() }
            for try await buffer in request.body {
                size += buffer.readableBytes
                if size > Self.maxFile { throw DomainError(.badRequest, code: "body_too_large", detail: "A file has at most 2 GiB.") }
                let data = Data(buffer: buffer)
                if head.count < 4_096 { head.append(data.prefix(4_096 - head.count)) }
                try handle.write(contentsOf: data)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        guard size > 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw DomainError(.badRequest, code: "empty_body", detail: "Send the file as the request body.")
        }
        let detected = format == "auto" ? ImportJob.Format.detect(head) : ImportJob.Format(rawValue: format)!
        if detected == .shopify, (try? principal.require(.settingsWrite)) == nil {
            // Shopify's CSV creates attributes, product types and a sale price list: settings.
            try? FileManager.default.removeItem(atPath: path)
            throw DomainError(.forbidden, code: "missing_scope",
                              detail: "Shopify's CSV creates the attributes, product types and sale price list it needs: it needs the settings:write scope.")
        }
        do {
            try Self.checkStart(head, format: detected)
        } catch let error as ExchangeError {
            try? FileManager.default.removeItem(atPath: path)
            throw DomainError.validation([FieldError(pointer: "/body", code: error.code, detail: error.description)])
        }
        let job: ImportJob
        do {
            job = try await imports.start(.init(format: detected, mode: mode!, publish: publish, maxErrors: maxErrors, stock: stock!,
                                                currency: query["currency"].map(String.init)), path: path,
                                          fileName: fileName, upload: true, context: WriteContext(principal: principal))
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return try Self.respond(job, status: .accepted)
    }

    /// A file that cannot be imported at all is refused before a job starts: Torso's CSV needs a
    /// header with a `sku` column, NDJSON a JSON object on its first line (as far as the first
    /// 4 KiB show).
    static func checkStart(_ head: Data, format: ImportJob.Format) throws {
        switch format {
        case .ndjson:
            var lines = LineReader()
            guard let first = lines.read(head).first ?? lines.finish().first else { return }
            var draft = DraftReader(format: .ndjson, locales: [], channels: [])
            if let problem = try draft.read(first.bytes + [0x0A]).first?.errors.first { throw problem }
        case .csv, .shopify:
            var reader = CSVReader()
            let records = (try? reader.read(head)) ?? []
            guard let header = records.first else { return }
            if format == .shopify { _ = try ShopifyProductReader(header: header) } else { _ = try CSVProductReader(header: header, locales: [], channels: []) }
        }
    }

    @Sendable func list(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.catalogRead)
        try request.allowOnly(["limit"])
        let jobs = try await imports.jobs(limit: try request.pageRequest().limit)
        return try JSONResponse.make(["data": try jobs.map(Self.json)])
    }

    @Sendable func get(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.catalogRead)
        try request.allowOnly([])
        return try Self.respond(try await imports.job(try context.parameters.path("id")))
    }

    @Sendable func cancel(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.catalogWrite)
        try request.allowOnly([])
        return try Self.respond(try await imports.cancel(try context.parameters.path("id")))
    }

    @Sendable func errors(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.catalogRead)
        try request.allowOnly(["format"])
        let id = try context.parameters.path("id")
        _ = try await imports.job(id)
        let asked = request.uri.queryParameters["format"].map(String.init)
        if let asked, !["csv", "ndjson"].contains(asked) {
            throw DomainError.validation([FieldError(pointer: "/query/format", code: "invalid_value", detail: "format is csv or ndjson.")])
        }
        let csv = asked == "csv" || (asked == nil && request.headers[.accept]?.contains("text/csv") == true)
        let imports = self.imports
        let body = ResponseBody { writer in
            if csv { try await writer.write(ByteBuffer(string: CSVWriter.row(ExchangeError.reportColumns))) }
            var after = 0
            while true {
                let page = try await imports.errors(id, after: after, limit: 1_000)
                var text = ""
                for error in page {
                    if csv {
                        text += CSVWriter.row(error.reportFields)
                    } else {
                        text += JSONValue.object(["line": .number(Double(error.line)), "column": error.column.map(JSONValue.string) ?? .null,
                                                  "code": .string(error.code), "message": .string(error.detail)]).jsonText + "\n"
                    }
                }
                if !text.isEmpty { try await writer.write(ByteBuffer(string: text)) }
                after += page.count
                if page.count < 1_000 { break }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: csv ? "text/csv; charset=utf-8" : "application/x-ndjson"], body: body)
    }

    /// The job as answered: its fields, and how fast and how far it goes.
    static func json(_ job: ImportJob) throws -> JSONValue {
        guard case .object(var members) = try JSONCoding.tree(job) else { return .null }
        members["path"] = nil
        let started = job.startedAt.flatMap(Timestamp.parse)
        let end = job.finishedAt.flatMap(Timestamp.parse) ?? Date()
        let seconds = started.map { max(0.001, end.timeIntervalSince($0)) }
        let rate = seconds.map { Double(job.counts.rows) / $0 }
        members["rows_per_second"] = rate.map { .number(($0 * 10).rounded() / 10) } ?? .null
        members["percent"] = .number(job.bytes > 0 ? (Double(job.bytesRead) * 1_000 / Double(job.bytes)).rounded() / 10 : 0)
        if job.state == .running, let seconds, job.bytesRead > 0 {
            members["seconds_left"] = .number((seconds * Double(job.bytes - job.bytesRead) / Double(job.bytesRead)).rounded())
        } else {
            members["seconds_left"] = job.state == .queued ? .null : .number(0)
        }
        return .object(members)
    }

    static func respond(_ job: ImportJob, status: HTTPResponse.Status = .ok) throws -> Response {
        JSONResponse.raw(Data(try json(job).jsonBytes()), status: status)
    }
}

extension JSONValue {
    /// The value as JSON text.
    var jsonText: String { String(decoding: jsonBytes(), as: UTF8.self) }
}
