import TorsoKit

/// A problem with a file being imported, where it is: the line, and the column if one is to
/// blame. Stable `code`s, as elsewhere.
public struct ExchangeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable snake_case code.
    public var code: String
    /// The file's line (1-based).
    public var line: Int
    /// The column's name, if one is to blame.
    public var column: String?
    /// A sentence for people.
    public var detail: String

    /// Creates an error.
    public init(code: String, line: Int, column: String? = nil, detail: String) {
        self.code = code
        self.line = line
        self.column = column
        self.detail = detail
    }

    /// The columns of an error report in CSV.
    public static let reportColumns = ["line", "column", "code", "message"]

    /// The error as a row of a CSV error report (``reportColumns``).
    public var reportFields: [String] { [String(line), column ?? "", code, detail] }

    /// Where and what, for logs and the CLI.
    public var description: String { "line \(line)\(column.map { ", column \($0)" } ?? ""): \(code): \(detail)" }
}
