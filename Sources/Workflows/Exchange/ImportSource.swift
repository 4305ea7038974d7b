import Exchange
import Foundation

/// An import's file read into batches of drafts, from the line after the last committed batch
/// on. An actor, so that the next batch is parsed (on another core) while the one before it is
/// worked out and written; the job holds at most the batch being parsed, the one being worked
/// out and the one being written.
actor ImportSource {
    /// One batch: its drafts, and how far into the file its last one ends.
    struct Batch: Sendable {
        var drafts: [ProductDraft]
        var bytesRead: Int
    }

    private let handle: FileHandle
    private var reader: DraftReader
    private let after: Int
    private let maxRows: Int
    private let maxProducts: Int
    /// Drafts read but not yet handed out.
    private var waiting: [ProductDraft] = []
    private var bytesRead = 0
    private var ended = false

    /// A source over `handle`, skipping drafts up to line `after` (those the job committed).
    init(handle: FileHandle, after: Int, maxRows: Int, maxProducts: Int, reader: DraftReader) {
        self.handle = handle
        self.reader = reader
        self.after = after
        self.maxRows = maxRows
        self.maxProducts = maxProducts
    }

    /// The next batch, `nil` at the end of the file.
    func next() throws -> Batch? {
        var rows = 0
        var count = 0
        while true {
            // A batch ends at `maxRows` variant rows or `maxProducts` products.
            while count < waiting.count {
                rows += waiting[count].variantCount
                count += 1
                if rows >= maxRows || count >= maxProducts { return take(count) }
            }
            if ended { return count == 0 ? nil : take(count) }
            let chunk = try handle.read(upToCount: 1 << 18) ?? Data()
            bytesRead += chunk.count
            ended = chunk.isEmpty
            let drafts = chunk.isEmpty ? try reader.finish() : try reader.read(chunk)
            waiting += drafts.filter { $0.line > after }
        }
    }

    deinit { try? handle.close() }

    /// Columns the file has that Torso does not read.
    var ignoredColumns: [String] { reader.ignoredColumns }

    private func take(_ count: Int) -> Batch {
        let drafts = Array(waiting.prefix(count))
        waiting.removeFirst(count)
        return Batch(drafts: drafts, bytesRead: bytesRead)
    }
}
