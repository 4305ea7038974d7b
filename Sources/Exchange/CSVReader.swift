/// Reads CSV as it arrives, in chunks of any size: RFC 4180 quoting (commas, quotes written
/// twice and line breaks inside quoted fields), LF or CRLF line ends, a UTF-8 byte-order mark
/// at the start. Text must be UTF-8; anything else is an ``ExchangeError`` naming the line.
public struct CSVReader: Sendable {
    /// One record: its fields and the line it starts on (1-based, counting the file's lines).
    public struct Record: Sendable, Equatable {
        /// The line the record starts on.
        public var line: Int
        /// The fields, unquoted.
        public var fields: [String]
    }

    private var field: [UInt8] = []
    private var fields: [String] = []
    private var quoted = false
    private var quoteSeen = false
    private var fieldStarted = false
    private var recordBytes = 0
    private var line = 1
    private var recordLine = 1
    private var atStart = true
    private var bomBytes: [UInt8] = []
    private var pendingCR = false

    /// A reader at the start of a file.
    public init() {}

    /// Reads `bytes`; answers the records they complete.
    public mutating func read(_ bytes: some Sequence<UInt8>) throws -> [Record] {
        var records: [Record] = []
        for byte in bytes {
            if atStart {
                // A byte-order mark (EF BB BF) is skipped, whatever chunks it arrives in.
                let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                if byte == bom[bomBytes.count] {
                    bomBytes.append(byte)
                    if bomBytes.count == 3 {
                        atStart = false
                        bomBytes = []
                    }
                    continue
                }
                atStart = false
                for early in bomBytes { try consume(early, into: &records) }
                bomBytes = []
            }
            try consume(byte, into: &records)
        }
        return records
    }

    /// Ends the file: the last record, if it did not end with a line break.
    public mutating func finish() throws -> [Record] {
        var records: [Record] = []
        if !bomBytes.isEmpty {
            for early in bomBytes { try consume(early, into: &records) }
            bomBytes = []
        }
        if quoted && !quoteSeen {
            throw ExchangeError(code: "unterminated_quote", line: recordLine, detail: "A quoted field opened on line \(recordLine) never closes.")
        }
        if fieldStarted || !fields.isEmpty || !field.isEmpty || quoteSeen { try endRecord(into: &records) }
        return records
    }

    /// The longest record read (16 MiB): a file with one endless line is refused before it
    /// fills the server's memory.
    public static let maxRecordBytes = 16 << 20

    private mutating func consume(_ byte: UInt8, into records: inout [Record]) throws {
        if byte == 0 {
            // No text has a NUL; a file with one is binary, or UTF-16.
            throw ExchangeError(code: "invalid_encoding", line: line, detail: "Line \(line) has a NUL byte: the file is not UTF-8 text.")
        }
        recordBytes += 1
        if recordBytes > Self.maxRecordBytes {
            throw ExchangeError(code: "record_too_long", line: recordLine,
                                detail: "The record starting on line \(recordLine) is longer than 16 MiB.")
        }
        if pendingCR {
            pendingCR = false
            if byte == 0x0A { return }
        }
        if quoted {
            if quoteSeen {
                if byte == 0x22 {
                    // A quote written twice is one quote.
                    field.append(0x22)
                    quoteSeen = false
                    return
                }
                quoted = false
                quoteSeen = false
                // Falls through: the byte after the closing quote is read as unquoted.
            } else if byte == 0x22 {
                quoteSeen = true
                return
            } else {
                if byte == 0x0A { line += 1 }
                field.append(byte)
                return
            }
        }
        switch byte {
        case 0x2C:
            try endField()
        case 0x0A, 0x0D:
            if byte == 0x0D { pendingCR = true }
            try endRecord(into: &records)
            line += 1
            recordLine = line
        case 0x22 where !fieldStarted && field.isEmpty:
            quoted = true
            fieldStarted = true
        default:
            fieldStarted = true
            field.append(byte)
        }
    }

    private mutating func endField() throws {
        guard let text = String(validating: field, as: UTF8.self) else {
            throw ExchangeError(code: "invalid_encoding", line: line,
                                detail: "Line \(line) is not UTF-8 text; save the file as UTF-8 (with or without a byte-order mark).")
        }
        fields.append(text)
        field.removeAll(keepingCapacity: true)
        fieldStarted = false
    }

    private mutating func endRecord(into records: inout [Record]) throws {
        try endField()
        // A blank line is no record.
        if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
        fields = []
        recordBytes = 0
    }
}
