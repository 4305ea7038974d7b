/// A direct JSON writer for ``JSONValue``: sorted keys, minimal escaping, no `Encoder`
/// machinery. Projections encode hundreds of thousands of bodies at start-up, where this is
/// many times faster than `JSONEncoder` and gives byte-identical output for equal values.
extension JSONValue {
    /// The value as compact JSON bytes.
    public func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(into: &out)
        return out
    }

    /// Appends the value as compact JSON.
    public func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: [110, 117, 108, 108])
        case .bool(let flag): out.append(contentsOf: flag ? [116, 114, 117, 101] : [102, 97, 108, 115, 101])
        case .number(let number):
            if number.rounded() == number, abs(number) < 9_007_199_254_740_992 {
                out.append(contentsOf: String(Int64(number)).utf8)
            } else if number.isFinite {
                out.append(contentsOf: "\(number)".utf8)
            } else {
                out.append(contentsOf: [110, 117, 108, 108])
            }
        case .string(let text): Self.writeString(text, into: &out)
        case .array(let elements):
            out.append(91)
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(44) }
                element.write(into: &out)
            }
            out.append(93)
        case .object(let members):
            out.append(123)
            // Sorted as pairs: no second hash lookup per member.
            for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { out.append(44) }
                Self.writeString(member.key, into: &out)
                out.append(58)
                member.value.write(into: &out)
            }
            out.append(125)
        }
    }

    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(34)
        // Most text needs no escape: scan the bytes in place and copy them at once.
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for byte in bytes where byte < 32 || byte == 34 || byte == 92 { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain == true {
            out.append(34)
            return
        }
        if plain == nil, !text.utf8.contains(where: { $0 < 32 || $0 == 34 || $0 == 92 }) {
            out.append(contentsOf: text.utf8)
            out.append(34)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 34: out.append(contentsOf: [92, 34])
            case 92: out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, 110])
            case 13: out.append(contentsOf: [92, 114])
            case 9: out.append(contentsOf: [92, 116])
            case 0..<32:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(34)
    }
}
