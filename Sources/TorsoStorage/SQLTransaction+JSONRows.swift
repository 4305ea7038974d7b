import SQLKit
import TorsoKit

/// A column of a bulk insert: its name, and its type on PostgreSQL (`text` or `bigint`).
struct BulkColumn: Sendable {
    var name: String
    var type: String

    static func text(_ name: String) -> BulkColumn { BulkColumn(name: name, type: "text") }
    static func bigint(_ name: String) -> BulkColumn { BulkColumn(name: name, type: "bigint") }
}

/// Many narrow rows in one statement with one bound parameter: the rows travel as one JSON
/// array, which the database unpacks itself (SQLite's `json_each`, PostgreSQL's
/// `json_array_elements`). An import's batch writes thousands of stock, claim and variant rows;
/// as multi-row `VALUES` lists that is tens of thousands of parameters to encode, bind and
/// parse, and most of a batch's time.
extension SQLTransaction {
    /// Rows per statement.
    static let jsonRows = 5_000

    /// Inserts `rows` (each the values of `columns`, in order: strings, integers or null) into
    /// `table`; `conflict` is an `ON CONFLICT …` clause, or empty. A column with the same value
    /// in every row is bound once (an adjustment batch's reason, actor and time).
    func insertJSONRows(into table: String, _ columns: [BulkColumn], rows: [[JSONValue]], conflict: String = "") async throws {
        guard let first = rows.first else { return }
        let constant = columns.indices.map { index in rows.allSatisfy { $0[index] == first[index] } }
        let varying = columns.indices.filter { !constant[$0] }
        var values: [SQLQueryString] = []
        for (index, column) in columns.enumerated() {
            if constant[index] {
                values.append(first[index].sqlConstant(as: dialect == .postgres ? column.type : nil))
            } else {
                let position = varying.firstIndex(of: index)!
                values.append(dialect == .postgres ? "(value ->> \(unsafeRaw: String(position)))::\(unsafeRaw: column.type)" : "value ->> \(unsafeRaw: String(position))")
            }
        }
        let (head, tail) = dialect == .postgres ? ("json_array_elements(", "::json) AS r(value)") : ("json_each(", ")")
        let names = columns.map(\.name).joined(separator: ", ")
        for start in stride(from: 0, to: rows.count, by: Self.jsonRows) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(64 * varying.count * min(Self.jsonRows, rows.count - start))
            JSONValue.array(rows[start..<min(rows.count, start + Self.jsonRows)].map { row in .array(varying.map { row[$0] }) }).write(into: &bytes)
            // `WHERE true` keeps SQLite from reading `ON CONFLICT` as part of the SELECT's join.
            try await db.raw("""
                INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: names)) SELECT \(values.joined(separator: ", "))
                FROM \(unsafeRaw: head)\(bind: String(decoding: bytes, as: UTF8.self))\(unsafeRaw: tail) WHERE true \(unsafeRaw: conflict)
                """).run()
        }
    }
}

extension JSONValue {
    /// A scalar as a bound SQL value (text, an integer, or null), cast to `type` (PostgreSQL).
    fileprivate func sqlConstant(as type: String?) -> SQLQueryString {
        let cast = type.map { "::" + $0 } ?? ""
        switch self {
        case .string(let text): return "\(bind: text)\(unsafeRaw: cast)"
        case .number(let number): return "\(bind: Int(number))\(unsafeRaw: cast)"
        case .bool(let flag): return "\(bind: flag ? 1 : 0)\(unsafeRaw: cast)"
        default: return "NULL\(unsafeRaw: cast)"
        }
    }
}
