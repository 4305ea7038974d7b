import Catalog
import Channels
import Foundation
import Synchronization
import Testing
import TorsoApp
import TorsoKit
import TorsoStorage
import TorsoTestSupport
import Workflows

/// A SQLite file's reader beside the writer: reads that do not wait for a write in progress and
/// never see it half done, and an import whose next batch is worked out on it while the last is
/// written, with the same outcome as one batch after the other.
@Suite struct SQLiteReaderTests {
    struct ReadWaited: Error {}

    let context = WriteContext(actor: .init(keyId: "test", name: "reader tests"))

    /// Runs `body` with services on a fresh SQLite file, then removes it.
    static func withFile(_ body: (TorsoServices) async throws -> Void) async throws {
        let path = TestDatabase.temporaryFile()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let services = try await TorsoServices.open(.sqliteFile(path: path))
        do {
            try await body(services)
        } catch {
            await services.store.close()
            throw error
        }
        await services.store.close()
    }

    @Test func aReadBesideTheWriterAnswersDuringAWriteAndSeesOnlyWhatIsCommitted() async throws {
        try await Self.withFile { services in
            // Given a transaction that has written a locale and is still open
            let locale = ContentLocaleBody.make()
            let written = AsyncStream<Void>.makeStream()
            let release = AsyncStream<Void>.makeStream()
            let writer = Task {
                try await services.store.transaction { tx in
                    try await tx.documents.insert(locale, document: try JSONCoding.encoder().encode(locale))
                    written.continuation.yield()
                    for await _ in release.stream { break }
                }
            }
            for await _ in written.stream { break }
            // When a read beside the writer runs meanwhile
            let during = try await withThrowingTaskGroup(of: ContentLocale?.self) { group in
                group.addTask { try await services.store.readBeside { tx in try await tx.documents.fetch(ContentLocale.self, key: locale.key) } }
                group.addTask {
                    // A read that waits for the writer fails here (after letting the writer go).
                    try await Task.sleep(for: .seconds(10))
                    release.continuation.yield()
                    throw ReadWaited()
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
            // Then it answered without waiting for the commit, and without the uncommitted locale
            #expect(during == nil)
            release.continuation.yield()
            try await writer.value
            let after = try await services.store.readBeside { tx in try await tx.documents.fetch(ContentLocale.self, key: locale.key) }
            #expect(after?.name == "Italiano", "a commit is seen by the next read beside the writer")
        }
    }

    @Test func anImportWhoseBatchesUpdateEachOthersProductsEndsAsInFileOrder() async throws {
        try await Self.withFile { services in
            try await Fixtures.loadSettings(services)
            // Given a file of three batches: the second renames every product of the first (by
            // slug and SKU), the third creates new ones
            let batch = 500
            var file = "product_type,slug-en-US,sku,name-en-US,size,color,stock-berlin\n"
            for index in 0..<batch { file += "tshirt,p-\(index),SKU-\(index),First \(index),s,red,1\n" }
            for index in 0..<batch { file += "tshirt,p-\(index),SKU-\(index),Second \(index),s,red,2\n" }
            for index in batch..<(batch + 200) { file += "tshirt,p-\(index),SKU-\(index),Third \(index),s,red,3\n" }
            let path = TestDatabase.temporaryFile() + ".csv"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try Data(file.utf8).write(to: URL(fileURLWithPath: path))
            // When
            let started = try await services.imports.start(ImportService.Request(format: .csv, stock: .set), path: path, fileName: "batches.csv",
                                                           context: context)
            await services.imports.wait(started.id.rawValue)
            // Then every product of the first batch carries the second's name and stock
            let job = try await services.imports.job(started.id.rawValue)
            #expect(job.state == .completed, "\(job.failure ?? "")")
            #expect(job.counts.created == batch + 200 && job.counts.updated == batch && job.counts.failed == 0, "\(job.counts)")
            let page = try await services.queries.products(query: nil, productType: "tshirt", category: nil, page: PageRequest(limit: 100))
            #expect(page.data.count == 100)
            for product in page.data {
                let name = product.values["name"]?.first?.data.stringValue ?? ""
                let onHand = product.variants.first?.stock.first?.onHand
                if name.hasPrefix("Third") {
                    #expect(onHand == 3, "\(product.key)")
                } else {
                    #expect(name.hasPrefix("Second") && onHand == 2, "\(product.key): \(name) \(onHand ?? -1)")
                }
            }
        }
    }
}
