import Exchange
import Testing

/// CSV as spreadsheets write it: RFC 4180 quoting, LF or CRLF, a byte-order mark, read in
/// chunks that end anywhere.
@Suite struct CSVReaderTests {
    /// Reads `text` in chunks of `size` bytes.
    static func records(_ bytes: [UInt8], chunk size: Int = 7) throws -> [CSVReader.Record] {
        var reader = CSVReader()
        var records: [CSVReader.Record] = []
        for start in stride(from: 0, to: bytes.count, by: size) {
            records += try reader.read(bytes[start..<min(start + size, bytes.count)])
        }
        return records + (try reader.finish())
    }

    @Test func quotedFieldsKeepCommasQuotesAndLineBreaks() throws {
        let text = "sku,name,description\r\nA-1,\"Shirt, red\",\"He said \"\"hi\"\"\r\nand left\"\r\nA-2,Plain,\r\n\r\nA-3,Last,no newline"
        for size in [1, 2, 3, 7, 1_000] {
            let records = try Self.records(Array(text.utf8), chunk: size)
            #expect(records.map(\.fields) == [
                ["sku", "name", "description"], ["A-1", "Shirt, red", "He said \"hi\"\r\nand left"], ["A-2", "Plain", ""], ["A-3", "Last", "no newline"],
            ], "chunks of \(size)")
            #expect(records.map(\.line) == [1, 2, 4, 6], "a quoted line break counts as a line; a blank line is no record")
        }
    }

    @Test func aByteOrderMarkIsSkippedAndLFWorks() throws {
        let records = try Self.records([0xEF, 0xBB, 0xBF] + Array("sku,name\nA,Ä\n".utf8), chunk: 1)
        #expect(records.map(\.fields) == [["sku", "name"], ["A", "Ä"]])
    }

    @Test func otherEncodingsAndOpenQuotesAreClearErrors() throws {
        // "Müller" in Latin-1: 0xFC is not UTF-8
        let latin1: [UInt8] = Array("sku,name\nA,M".utf8) + [0xFC] + Array("ller\n".utf8)
        #expect(throws: ExchangeError(code: "invalid_encoding", line: 2,
                                      detail: "Line 2 is not UTF-8 text; save the file as UTF-8 (with or without a byte-order mark).")) {
            try Self.records(latin1)
        }
        #expect { try Self.records(Array("sku,name\nA,\"open\n".utf8)) } throws: { ($0 as? ExchangeError)?.code == "unterminated_quote" }
    }

    @Test func pricesReadInMajorUnitsPerCurrency() {
        #expect(MinorUnits.amount("19.99", currency: "EUR") == 1_999)
        #expect(MinorUnits.amount("19.9", currency: "EUR") == 1_990)
        #expect(MinorUnits.amount("20", currency: "EUR") == 2_000)
        #expect(MinorUnits.amount("1500", currency: "JPY") == 1_500)
        #expect(MinorUnits.amount("1.5", currency: "JPY") == nil)
        #expect(MinorUnits.amount("1.234", currency: "KWD") == 1_234)
        for bad in ["", "-1", "1.999", "1,99", "abc", "1e3", "99999999999999"] { #expect(MinorUnits.amount(bad, currency: "EUR") == nil, "\(bad)") }
        #expect(MinorUnits.text(1_999, currency: "EUR") == "19.99")
        #expect(MinorUnits.text(5, currency: "EUR") == "0.05")
        #expect(MinorUnits.text(1_500, currency: "JPY") == "1500")
    }

    @Test func anEndlessLineIsRefusedBeforeItFillsMemory() throws {
        var reader = CSVReader()
        _ = try reader.read(Array("sku,price-EUR\n".utf8))
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        let refused = #expect(throws: ExchangeError.self) {
            for _ in 0..<17 { _ = try reader.read(chunk) }
        }
        #expect(refused?.code == "record_too_long")
    }
}

