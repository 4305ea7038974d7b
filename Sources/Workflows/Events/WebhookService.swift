import Access
import Channels
import Events
import Foundation
import TorsoKit

/// Webhook subscriptions and their delivery logs: create (the answer carries the signing
/// secret, once), list, read, change with a JSON merge patch on the current version, delete,
/// rotate the secret, and redeliver an event. Sending lives in `WebhookService+Sending.swift`.
public struct WebhookService: Sendable {
    let store: any Store
    /// How webhooks are checked and sent.
    public let settings: WebhookSettings
    let signal: WebhookSignal

    /// Creates the service.
    public init(store: any Store, settings: WebhookSettings = WebhookSettings()) {
        self.store = store
        self.settings = settings
        self.signal = WebhookSignal()
    }

    /// Wakes the senders at once (they also look every ``WebhookSettings/pollInterval``): call it
    /// when an event commits.
    public func wake() { signal.wake() }

    /// Wake-ups for one sender.
    public func wakeUps() -> AsyncStream<Void> { signal.listen() }

    /// The members a client may send back but never sets.
    static let readOnly = ["id", "version", "created_at", "updated_at", "consecutive_failures", "disabled_reason"]

    /// The body of a subscription.
    public static let schema: FieldSchema = .object([
        "url": .string(format: "uri"), "events": .array(.string()), "channels": .nullable(.array(.string())),
        "description": .nullable(.string()), "enabled": .boolean,
        "id": .string(), "version": .integer, "created_at": .string(format: "date-time"), "updated_at": .string(format: "date-time"),
        "consecutive_failures": .integer, "disabled_reason": .nullable(.string()),
    ], required: ["url", "events"], readOnly: readOnly)

    /// The optional body of rotate-secret: how long the previous secret keeps signing, in seconds.
    public static let rotateSchema: FieldSchema = .object(["keep_previous_for": .integer], required: [])
    /// The optional body of redeliver: an empty object.
    public static let redeliverSchema: FieldSchema = .object([:], required: [])
    /// The longest `keep_previous_for`: a week.
    public static let maxKeepPrevious = 7 * 24 * 3_600
    /// The longest description.
    public static let maxDescription = 500

    // MARK: Subscriptions

    /// Creates a subscription from a request body; answers 201 with the subscription and its
    /// `secret`, or replays the first answer for a repeated idempotency key. It receives the
    /// events committed after it.
    public func create(_ body: JSONValue, context: WriteContext) async throws -> StoredResponse {
        let (fields, errors) = try parse(body, checkURL: true)
        let secret = WebhookSigner.generateSecret()
        let id = ID<WebhookSubscription>.generate(at: context.now)
        let response = try await Idempotent.run(store: store, context: context) { tx in
            try await Self.checkChannels(fields.channelsAsSent, errors: errors, in: tx)
            let webhook = WebhookSubscription(
                id: id, url: fields.url, events: fields.events, channels: fields.channels, description: fields.description,
                enabled: fields.enabled, afterSeq: try await tx.outbox.lastEventSeq(), createdAt: context.timestamp, updatedAt: context.timestamp)
            try await tx.webhooks.insertWebhook(webhook, secrets: WebhookSecrets(current: secret))
            return StoredResponse(status: 201, body: Self.body(webhook, adding: ["secret": .string(secret)]))
        }
        wake()
        return response
    }

    /// One page of subscriptions by ID.
    public func list(_ page: PageRequest) async throws -> Page<WebhookSubscription> {
        let webhooks = try await store.read { try await $0.webhooks.listWebhooks(page: PageRequest(limit: page.limit + 1, cursor: page.cursor)) }
        return Page.slice(webhooks, limit: page.limit) { $0.id.rawValue }
    }

    /// One subscription; 404 if there is none.
    public func get(_ id: String) async throws -> WebhookSubscription {
        guard let found = try await store.read({ try await $0.webhooks.webhook(id, forUpdate: false) }) else {
            throw DomainError.notFound("webhook", id)
        }
        return found.webhook
    }

    /// Applies a JSON merge patch. `expectedVersion`, from `If-Match` or the body's `version`,
    /// must match when given. Enabling a disabled subscription clears its failure count.
    public func update(_ id: String, patch: JSONValue, expectedVersion: Int?, context: WriteContext) async throws -> WebhookSubscription {
        var (members, expected) = try VersionedPatch.split(patch, expectedVersion: expectedVersion)
        if let member = members["id"], member != .null, member != .string(id) {
            throw DomainError.validation([FieldError(pointer: "/id", code: "immutable_field", detail: "'id' cannot change.")])
        }
        for field in Self.readOnly { members.removeValue(forKey: field) }
        let shapeErrors = Self.schema.check(.object(members), creating: false)
        if !shapeErrors.isEmpty { throw DomainError.validation(shapeErrors) }
        let patchBody = JSONValue.object(members)
        let updated = try await store.transaction { [expected] tx in
            guard let previous = try await tx.webhooks.webhook(id, forUpdate: true)?.webhook else { throw DomainError.notFound("webhook", id) }
            if let expected, expected != previous.version {
                throw DomainError.versionMismatch(expected: expected, current: previous.version)
            }
            var current = previous.json.objectValue ?? [:]
            for field in Self.readOnly { current.removeValue(forKey: field) }
            let merged = JSONValue.object(current).merging(patch: patchBody)
            // A URL or channels that were accepted once are not checked again unless they change.
            let (fields, errors) = try parse(merged, checkURL: Self.sets(patchBody, "url"))
            try await Self.checkChannels(Self.sets(patchBody, "channels") ? fields.channelsAsSent : nil, errors: errors, in: tx)
            var webhook = previous
            webhook.url = fields.url
            webhook.events = fields.events
            webhook.channels = fields.channels
            webhook.description = fields.description
            webhook.enabled = fields.enabled
            if fields.enabled, !previous.enabled {
                webhook.consecutiveFailures = 0
                webhook.pausedUntil = nil
                webhook.disabledReason = nil
            }
            webhook.version = previous.version + 1
            webhook.updatedAt = context.timestamp
            guard try await tx.webhooks.replaceWebhook(webhook, expectedVersion: previous.version) else {
                throw DomainError.versionMismatch(expected: previous.version, current: previous.version + 1)
            }
            return webhook
        }
        if updated.enabled { wake() }
        return updated
    }

    /// Deletes a subscription with its delivery log; deliveries in flight are dropped.
    public func delete(_ id: String, expectedVersion: Int?) async throws {
        try await store.transaction { tx in
            guard let webhook = try await tx.webhooks.webhook(id, forUpdate: true)?.webhook else { throw DomainError.notFound("webhook", id) }
            if let expectedVersion, expectedVersion != webhook.version {
                throw DomainError.versionMismatch(expected: expectedVersion, current: webhook.version)
            }
            try await tx.webhooks.deleteWebhook(id)
        }
    }

    /// Replaces the signing secret. The previous one keeps signing next to the new one for
    /// `keep_previous_for` seconds of the body (default ``WebhookSettings/keepPreviousSecret``;
    /// 0 stops it at once), so receivers can switch without refusing events. Answers the
    /// subscription with the new `secret` and `previous_secret_expires_at`.
    public func rotateSecret(_ id: String, body: JSONValue?, now: Date = Date()) async throws -> Data {
        var keep = settings.keepPreviousSecret
        if let body {
            let errors = Self.rotateSchema.check(body)
            if !errors.isEmpty { throw DomainError.validation(errors) }
            if let seconds = body.objectValue?["keep_previous_for"]?.numberValue {
                guard (0...Double(Self.maxKeepPrevious)).contains(seconds) else {
                    throw DomainError.validation([FieldError(pointer: "/keep_previous_for", code: "out_of_range",
                                                             detail: "keep_previous_for is between 0 and \(Self.maxKeepPrevious) seconds.")])
                }
                keep = seconds
            }
        }
        let secret = WebhookSigner.generateSecret()
        let expires = keep > 0 ? Timestamp.string(now.addingTimeInterval(keep)) : nil
        return try await store.transaction { [keep] tx in
            guard let found = try await tx.webhooks.webhook(id, forUpdate: true) else { throw DomainError.notFound("webhook", id) }
            let secrets = WebhookSecrets(current: secret, previous: keep > 0 ? found.secrets.current : nil, previousExpiresAt: expires)
            try await tx.webhooks.replaceWebhookSecrets(id, secrets: secrets)
            return Self.body(found.webhook, adding: ["secret": .string(secret), "previous_secret_expires_at": expires.map(JSONValue.string) ?? .null])
        }
    }

    // MARK: Delivery log

    /// One page of a subscription's deliveries, newest first, optionally of one status.
    public func deliveries(of id: String, status: String?, page: PageRequest) async throws -> Page<WebhookDelivery> {
        if let status, WebhookDelivery.Status(rawValue: status) == nil {
            throw DomainError.validation([FieldError(
                pointer: "/query/status", code: "invalid_value",
                detail: "status is one of \(WebhookDelivery.Status.allCases.map(\.rawValue).joined(separator: ", ")).")])
        }
        let deliveries = try await store.read { tx in
            guard try await tx.webhooks.webhook(id, forUpdate: false) != nil else { throw DomainError.notFound("webhook", id) }
            return try await tx.deliveries.listWebhookDeliveries(webhook: id, status: status, page: PageRequest(limit: page.limit + 1, cursor: page.cursor))
        }
        return Page.slice(deliveries, limit: page.limit) { $0.id.rawValue }
    }

    /// One delivery with every attempt and the payload it sends; 404 unless it belongs to the subscription.
    public func delivery(_ deliveryId: String, of id: String) async throws -> WebhookDeliveryDetail {
        try await store.read { tx in
            guard try await tx.webhooks.webhook(id, forUpdate: false) != nil else { throw DomainError.notFound("webhook", id) }
            guard let delivery = try await tx.deliveries.webhookDeliveries([deliveryId], forUpdate: false).first, delivery.webhookId.rawValue == id else {
                throw DomainError.notFound("delivery", deliveryId)
            }
            let event = try await tx.outbox.events(after: delivery.eventSeq - 1, limit: 1, types: nil).first
            return WebhookDeliveryDetail(delivery: delivery, attempts: try await tx.deliveries.webhookAttempts(delivery: deliveryId),
                                         payload: event?.seq == delivery.eventSeq ? event?.payload : nil)
        }
    }

    /// Sends a delivery's event again as a new pending delivery, due at once; the old one and its
    /// attempts stay in the log as they are. The body is the same and so is `webhook-id`: a
    /// receiver that already handled the event recognises the repeat. Answers 202 with the new
    /// delivery (a disabled subscription's waits until it is enabled).
    public func redeliver(_ deliveryId: String, of id: String, body: JSONValue?, context: WriteContext) async throws -> StoredResponse {
        if let body {
            let errors = Self.redeliverSchema.check(body)
            if !errors.isEmpty { throw DomainError.validation(errors) }
        }
        let response = try await Idempotent.run(store: store, context: context) { tx in
            guard try await tx.webhooks.webhook(id, forUpdate: false) != nil else { throw DomainError.notFound("webhook", id) }
            guard let original = try await tx.deliveries.webhookDeliveries([deliveryId], forUpdate: false).first, original.webhookId.rawValue == id else {
                throw DomainError.notFound("delivery", deliveryId)
            }
            var delivery = WebhookDelivery(webhookId: original.webhookId, eventSeq: original.eventSeq, nextAttemptAt: context.timestamp,
                                           createdAt: context.timestamp, updatedAt: context.timestamp)
            try await tx.deliveries.insertWebhookDeliveries([delivery])
            delivery.eventType = original.eventType
            return StoredResponse(status: 202, body: Data(delivery.json.jsonBytes()))
        }
        wake()
        return response
    }

    // MARK: Validation

    /// The fields of a subscription, checked as far as they can be without the database.
    struct Fields {
        var url: String
        /// Sorted, without duplicates.
        var events: [String]
        /// Sorted, without duplicates; `nil` for every channel.
        var channels: [String]?
        /// The channels in the order sent, for error pointers.
        var channelsAsSent: [String]?
        var description: String?
        var enabled: Bool
    }

    /// Checks a whole body's shape (throwing at once), then reads it; field errors that need no
    /// database are returned, to be thrown together with those that do.
    func parse(_ body: JSONValue, checkURL: Bool) throws -> (Fields, [FieldError]) {
        let shapeErrors = Self.schema.check(body)
        if !shapeErrors.isEmpty { throw DomainError.validation(shapeErrors) }
        let object = body.objectValue ?? [:]
        let url = object["url"]?.stringValue ?? ""
        let events = object["events"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let channels = object["channels"]?.arrayValue?.compactMap(\.stringValue)
        let description = object["description"]?.stringValue
        var enabled = true
        if case .bool(let flag)? = object["enabled"] { enabled = flag }
        var errors = ValidationErrors()
        if checkURL, let error = WebhookTarget.check(url, allowPrivate: settings.allowPrivateTargets) {
            errors.add(error.pointer, error.code, error.detail)
        }
        if events.isEmpty { errors.add("/events", "required", "Name at least one event type, or \"*\" for all.") }
        for (index, type) in events.enumerated() where type != WebhookSubscription.allTypes && !EventType.all.contains(type) {
            errors.add("/events/\(index)", "unknown_event_type",
                       "'\(type)' is not an event type; use \"*\" or one of \(EventType.all.sorted().joined(separator: ", ")).")
        }
        if let description, description.count > Self.maxDescription {
            errors.add("/description", "too_long", "A description is at most \(Self.maxDescription) characters.")
        }
        let normalized = events.contains(WebhookSubscription.allTypes) ? [WebhookSubscription.allTypes] : Array(Set(events)).sorted()
        return (Fields(url: url, events: normalized, channels: channels.map { Array(Set($0)).sorted() }, channelsAsSent: channels,
                       description: description, enabled: enabled), errors.errors)
    }

    /// Whether a merge patch sets a member (to something other than null).
    static func sets(_ patch: JSONValue, _ member: String) -> Bool {
        if let value = patch.objectValue?[member], value != .null { true } else { false }
    }

    /// Adds an `unknown_channel` error for every channel that does not exist, then throws every error.
    static func checkChannels(_ channels: [String]?, errors: [FieldError], in tx: any Transaction) async throws {
        var all = ValidationErrors()
        all.add(contentsOf: errors)
        for (index, code) in (channels ?? []).enumerated() where try await tx.documents.fetch(Channel.self, key: code) == nil {
            all.add("/channels/\(index)", "unknown_channel", "Channel '\(code)' does not exist.")
        }
        try all.throwIfAny()
    }

    /// A subscription's view with extra members (the secret, once), as JSON.
    static func body(_ webhook: WebhookSubscription, adding extra: [String: JSONValue]) -> Data {
        var members = webhook.json.objectValue ?? [:]
        for (key, value) in extra { members[key] = value }
        return Data(JSONValue.object(members).jsonBytes())
    }
}
