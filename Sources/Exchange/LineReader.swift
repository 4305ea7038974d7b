/// Splits text into lines as it arrives, for NDJSON: LF or CRLF, a UTF-8 byte-order mark at
/// the start skipped, blank lines left out, each line numbered (1-based).
public struct LineReader: Sendable {
    private var buffer: [UInt8] = []
    private var line = 0
    private var started = false

    /// A reader at the start of a file.
    public init() {}

    /// Reads `bytes`; answers the lines they complete, without their line ends.
    public mutating func read(_ bytes: some Sequence<UInt8>) -> [(line: Int, bytes: [UInt8])] {
        var lines: [(line: Int, bytes: [UInt8])] = []
        for byte in bytes {
            if byte == 0x0A {
                emit(into: &lines)
            } else {
                buffer.append(byte)
            }
        }
        return lines
    }

    /// Ends the file: the last line, if it had no line end.
    public mutating func finish() -> [(line: Int, bytes: [UInt8])] {
        var lines: [(line: Int, bytes: [UInt8])] = []
        if !buffer.isEmpty { emit(into: &lines) }
        return lines
    }

    private mutating func emit(into lines: inout [(line: Int, bytes: [UInt8])]) {
        line += 1
        var bytes = buffer
        buffer.removeAll(keepingCapacity: true)
        if !started {
            started = true
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        lines.append((line, bytes))
    }
}
