import Events
import Foundation
import HTTPTypes
import Hummingbird
import Publishing
import ServiceLifecycle
import TorsoKit
import Workflows

/// The outbox over HTTP. `GET /store/v1/events` is the live feed of a channel's heads:
/// server-sent events of the channel's published product, price and stock changes, each with
/// `id:` set to its sequence number, so `Last-Event-ID` resumes without gaps or repeats.
/// `GET /admin/v1/events` pages through every event (JSON) or streams them
/// (`Accept: text/event-stream`) for integrators.
public struct EventController: Sendable {
    let feed: EventFeed
    let catalog: StorefrontCatalog
    let frames = SSEFrameCache()

    /// Creates the controller.
    public init(feed: EventFeed, catalog: StorefrontCatalog) {
        self.feed = feed
        self.catalog = catalog
    }

    /// Adds `GET events` to the store group.
    public func addStoreRoutes<Methods: RouterMethods<StoreRequestContext>>(to routes: APIRoutes<Methods>) {
        routes.get("events", APIOperation(
            "The channel's live feed (text/event-stream): product.published, product.unpublished, price.changed, stock.changed of its products; id is the sequence number, Last-Event-ID (or last_event_id) resumes, heartbeats every 15 s; ?key=pk_… for EventSource",
            tag: "events", caller: .publishableKey, answer: .eventStream(.ref("Event")),
            parameters: [.query("types"), .query("last_event_id", .integer), .query("key"), .header("Last-Event-ID")]), use: storeFeed)
    }

    /// Adds `GET events` to the admin group.
    public func addAdminRoutes<Methods: RouterMethods<TorsoRequestContext>>(to routes: APIRoutes<Methods>) {
        routes.get("events", APIOperation(
            "The outbox: every event in sequence order. JSON pages with after (a sequence number), limit and types; or, with Accept: text/event-stream, a live stream resumable with Last-Event-ID",
            tag: "events", caller: .scope(.eventsRead), answer: .jsonOrEventStream(.ref("EventPage"), event: .ref("Event")),
            parameters: [.query("after", .integer), .query("limit", .integer), .query("types"), .header("Last-Event-ID")]), use: adminEvents)
    }

    @Sendable func storeFeed(_ request: Request, context: StoreRequestContext) async throws -> Response {
        let channel = context.channel
        let types = try Self.types(request, allowed: EventType.storefront) ?? EventType.storefront
        let start = try Self.lastEventId(request)
        let catalog = self.catalog
        return stream(after: start, view: channel) { event in
            guard types.contains(event.type) else { return nil }
            if let own = event.channel { return own == channel ? event : nil }
            // Stock is per product and location: the channel sees its published products', narrowed
            // to its locations and stores.
            guard let snapshot = catalog.snapshot(for: channel),
                  snapshot.product(event.subject, locale: snapshot.channel.defaultLocale)?.id == event.subject else { return nil }
            return event.type == EventType.stockChanged ? StockFeedView.narrowed(event, for: snapshot) : event
        }
    }

    @Sendable func adminEvents(_ request: Request, context: TorsoRequestContext) async throws -> Response {
        _ = try context.require(.eventsRead)
        let types = try Self.types(request, allowed: EventType.all)
        if request.headers[.accept]?.contains("text/event-stream") == true {
            return stream(after: try Self.lastEventId(request), view: "") { types?.contains($0.type) ?? true ? $0 : nil }
        }
        var after = 0
        if let text = request.uri.queryParameters["after"] {
            guard let value = Int(String(text)), value >= 0 else {
                throw DomainError.validation([FieldError(pointer: "/query/after", code: "invalid_value", detail: "after is a sequence number (0 or more).")])
            }
            after = value
        }
        let limit = try request.pageRequest().limit
        let events = try await feed.stored(after: after, limit: limit + 1, types: types)
        let page = events.prefix(limit)
        let body: JSONValue = .object([
            "data": .array(page.map(\.payload)),
            "next_after": page.last.map { .number(Double($0.seq)) } ?? .number(Double(after)),
            "has_more": .bool(events.count > limit),
        ])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body.jsonBytes())))
    }

    /// A `text/event-stream` response: what happened after `start` (or from now), then live
    /// events, with a comment line at every heartbeat. It ends when the node shuts down or the
    /// client falls too far behind; clients reconnect with `Last-Event-ID`.
    /// `view` names what `include` makes of events (a channel), for the frame cache: the same
    /// event may read differently per channel.
    func stream(after start: Int?, view: String, where include: @escaping @Sendable (OutboxEvent) -> OutboxEvent?) -> Response {
        let subscription = feed.subscribe()
        let feed = self.feed, frames = self.frames
        let body = ResponseBody { writer in
            defer { subscription.cancel() }
            try await withGracefulShutdownHandler {
                try await Self.pump(subscription, after: start, feed: feed, frames: frames, view: view, include: include, into: &writer)
            } onGracefulShutdown: {
                subscription.cancel()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no",
        ], body: body)
    }

    static func pump(_ subscription: EventFeed.Subscription, after start: Int?, feed: EventFeed, frames: SSEFrameCache, view: String,
                     include: @Sendable (OutboxEvent) -> OutboxEvent?, into writer: inout any ResponseBodyWriter) async throws {
        var last = start ?? subscription.head
        try await writer.write(ByteBuffer(string: "retry: 2000\n: connected \(subscription.head)\n\n"))
        // Catch up to where the subscription began, from memory or the outbox.
        while last < subscription.head {
            let page = try await feed.events(after: last, through: subscription.head, limit: 500)
            guard let end = page.last?.seq else { break }
            var buffer = ByteBuffer()
            for event in page { if let shown = include(event) { buffer.writeImmutableBuffer(frames.frame(shown, view: view)) } }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
            last = end
        }
        while let deliveries = await subscription.next() {
            var buffer = ByteBuffer()
            for delivery in deliveries {
                switch delivery {
                case .heartbeat:
                    buffer.writeString(": heartbeat\n\n")
                case .event(let event):
                    guard event.seq > last else { continue }
                    last = event.seq
                    if let shown = include(event) { buffer.writeImmutableBuffer(frames.frame(shown, view: view)) }
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }

    /// `Last-Event-ID` (or `last_event_id` in the query, for `EventSource`s that reconnect by
    /// URL): the last sequence number the client has; `nil` for "from now".
    static func lastEventId(_ request: Request) throws -> Int? {
        guard let text = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters["last_event_id"].map(String.init),
              !text.isEmpty else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
            throw DomainError(.badRequest, code: "invalid_last_event_id", detail: "Last-Event-ID is an event's sequence number (0 or more).")
        }
        return value
    }

    /// The `types` query parameter (comma-separated), each of which must be in `allowed`.
    static func types(_ request: Request, allowed: Set<String>) throws -> Set<String>? {
        guard let text = request.uri.queryParameters["types"] ?? request.uri.queryParameters["type"] else { return nil }
        let types = Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        var errors = ValidationErrors()
        for type in types.sorted() where !allowed.contains(type) {
            errors.add("/query/types", "unknown_event_type", "'\(type)' is not an event type here. Known: \(allowed.sorted().joined(separator: ", ")).")
        }
        if types.isEmpty { errors.add("/query/types", "required", "Name at least one event type.") }
        try errors.throwIfAny()
        return types
    }
}
