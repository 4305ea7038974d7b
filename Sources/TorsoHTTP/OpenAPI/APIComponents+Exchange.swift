import Exchange
import TorsoKit

extension APIComponents {
    /// Import jobs.
    static let exchange: [String: APISchema] = {
        let counts: APISchema = .object(["rows": .integer, "created": .integer, "updated": .integer, "skipped": .integer, "failed": .integer,
                                                 "stock_kept": .integer],
                                        required: ["rows", "created", "updated", "skipped", "failed"])
        let job: APISchema = .object([
            "id": .string(), "state": .string(enumeration: ["queued", "running", "completed", "failed", "canceled"]),
            "format": .string(enumeration: ImportJob.Format.allCases.map(\.rawValue)),
            "mode": .string(enumeration: ImportJob.Mode.allCases.map(\.rawValue)),
            "stock": .string(enumeration: ImportJob.StockMode.allCases.map(\.rawValue)), "currency": .nullable(.string()),
            "report": .array(.string()), "file_name": .string(), "bytes": .integer,
            "bytes_read": .integer, "counts": counts, "publish": .array(.string()), "max_errors": .nullable(.integer),
            "committed_line": .integer, "error_count": .integer, "failure": .nullable(.string()), "ignored_columns": .array(.string()),
            "published": .integer, "published_per_channel": .nullable(.map(.integer)), "actor": .string(), "created_at": .time, "started_at": .nullable(.time), "finished_at": .nullable(.time),
            "updated_at": .time, "rows_per_second": .nullable(.number), "percent": .number, "seconds_left": .nullable(.number),
        ], required: ["id", "state", "format", "mode", "file_name", "bytes", "bytes_read", "counts", "error_count", "created_at", "updated_at"])
        return ["ImportJob": job, "ImportJobList": .object(["data": .array(.ref("ImportJob"))], required: ["data"])]
    }()
}
