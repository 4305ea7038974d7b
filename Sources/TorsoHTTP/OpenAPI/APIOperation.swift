import Access
import HTTPTypes
import TorsoKit

/// What the OpenAPI document says of one route. It is declared beside the route, in the same
/// call that adds it to the router (``APIRoutes``), so a route cannot exist without it.
public struct APIOperation: Sendable {
    /// Who may call the operation.
    public enum Caller: Sendable, Equatable {
        /// Anyone (`/health`, `/openapi.json`).
        case anyone
        /// A secret key with this scope.
        case scope(Scope)
        /// A publishable key (the channel's heads).
        case publishableKey
        /// A publishable key and a customer session in `X-Customer-Token`.
        case customer
        /// A publishable key and the cart's token in `X-Cart-Token` (and, for a customer's
        /// cart, the customer's session).
        case cart
    }

    /// What the success answer carries.
    public enum Answer: Sendable {
        /// JSON of this shape.
        case json(APISchema)
        /// No body.
        case empty
        /// Text of this media type (`text/plain; version=0.0.4` for metrics).
        case text(String)
        /// Text in one of several media types (NDJSON or CSV), chosen by the request.
        case texts([String])
        /// A stream of server-sent events whose `data` lines are JSON of this shape.
        case eventStream(APISchema)
        /// JSON of the first shape, or with `Accept: text/event-stream` a stream of the second.
        case jsonOrEventStream(APISchema, event: APISchema)
    }

    /// A query or header parameter.
    public struct Parameter: Sendable {
        /// The name.
        public var name: String
        /// `query` or `header`.
        public var location: String
        /// The value's shape.
        public var schema: APISchema
        /// Whether it must be sent.
        public var required: Bool
        /// One line for people.
        public var description: String?

        /// A query parameter.
        public static func query(_ name: String, _ schema: APISchema = .string(), _ description: String? = nil) -> Parameter {
            Parameter(name: name, location: "query", schema: schema, required: false, description: description)
        }

        /// A header.
        public static func header(_ name: String, required: Bool = false, _ description: String? = nil) -> Parameter {
            Parameter(name: name, location: "header", schema: .headerValue, required: required, description: description)
        }

        /// `limit` and `cursor` of a cursor-paginated list.
        public static let page: [Parameter] = [.query("limit", .boundedInteger(1...PageRequest.maxLimit), "At most this many (default 50)."),
                                               .query("cursor", .string(), "`next_cursor` of the previous page.")]
    }

    /// One line for people.
    public var summary: String
    /// The group in the documentation.
    public var tag: String
    /// Who may call it.
    public var caller: Caller
    /// The request body's shape, if it takes one.
    public var body: APISchema?
    /// Whether the body must be sent.
    public var bodyRequired: Bool
    /// `application/merge-patch+json` instead of `application/json`.
    public var mergePatch: Bool
    /// Media types of a body that is a file (an import), instead of JSON.
    public var fileTypes: [String] = []
    /// The success status.
    public var status: HTTPResponse.Status
    /// The success answer.
    public var answer: Answer
    /// Query and header parameters.
    public var parameters: [Parameter]
    /// Other documented answers than the caller's problems (`200` beside `201`, `304`…).
    public var otherAnswers: [(status: Int, description: String, answer: Answer)]
    /// Problem statuses the operation's own rules answer with (`409` for a state conflict, `402`
    /// for a declined payment), beside the ones every operation of its caller has.
    public var problems: [Int]

    /// Declares an operation.
    public init(_ summary: String, tag: String, caller: Caller, body: APISchema? = nil, bodyRequired: Bool = true,
                mergePatch: Bool = false, status: HTTPResponse.Status = .ok, answer: Answer, parameters: [Parameter] = [],
                otherAnswers: [(status: Int, description: String, answer: Answer)] = [], problems: [Int] = []) {
        self.summary = summary
        self.tag = tag
        self.caller = caller
        self.body = body
        self.bodyRequired = bodyRequired
        self.mergePatch = mergePatch
        self.status = status
        self.answer = answer
        self.parameters = parameters
        self.otherAnswers = otherAnswers
        self.problems = problems
    }
}
