/// The schema, as frozen migrations: a shipped migration is never edited; a change is a new one.
/// The same SQL runs on SQLite and PostgreSQL (documents are JSON text, times RFC 3339 text).
public enum Migrations {
    /// A named step with its statements.
    public struct Migration: Sendable {
        /// A unique, ordered name.
        public var id: String
        /// The statements, run in one transaction.
        public var statements: [String]
    }

    /// Every migration in order.
    public static let all: [Migration] = [
        Migration(id: "0001_catalog", statements: [
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL)",
            "INSERT INTO meta (key, value) VALUES ('settings_version', 0)",
        ] + ["locales", "channels", "stock_locations", "attributes", "product_types", "categories"].map {
            "CREATE TABLE \($0) (key TEXT PRIMARY KEY, version BIGINT NOT NULL, doc TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
        } + [
            """
            CREATE TABLE products (key TEXT PRIMARY KEY, version BIGINT NOT NULL, doc TEXT NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL, product_type TEXT NOT NULL, search_text TEXT NOT NULL)
            """,
            "CREATE INDEX products_by_type ON products (product_type, key)",
            "CREATE TABLE product_categories (category_id TEXT NOT NULL, product_id TEXT NOT NULL, PRIMARY KEY (category_id, product_id))",
            "CREATE INDEX product_categories_by_product ON product_categories (product_id)",
            "CREATE TABLE claims (namespace TEXT NOT NULL, value TEXT NOT NULL, owner TEXT NOT NULL, PRIMARY KEY (namespace, value))",
            "CREATE INDEX claims_by_owner ON claims (owner)",
            "CREATE INDEX claims_by_value ON claims (value)",
            """
            CREATE TABLE history (resource TEXT NOT NULL, version BIGINT NOT NULL, action TEXT NOT NULL, at TEXT NOT NULL,
                actor TEXT NOT NULL, changes TEXT NOT NULL, PRIMARY KEY (resource, version))
            """,
            "CREATE TABLE api_keys (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, doc TEXT NOT NULL, revoked_at TEXT)",
            """
            CREATE TABLE idempotency_keys (principal TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
                status BIGINT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (principal, key))
            """,
        ]),
        Migration(id: "0002_publishing", statements: [
            """
            CREATE TABLE channel_listings (product_id TEXT NOT NULL, channel TEXT NOT NULL, visible BIGINT NOT NULL,
                live_version BIGINT, live_at TEXT, live_doc TEXT,
                scheduled_version BIGINT, scheduled_at TEXT, scheduled_doc TEXT,
                PRIMARY KEY (product_id, channel))
            """,
            "CREATE INDEX channel_listings_by_channel ON channel_listings (channel, product_id)",
            "CREATE INDEX channel_listings_by_schedule ON channel_listings (scheduled_at)",
            """
            CREATE TABLE stock_levels (variant_id TEXT NOT NULL, location TEXT NOT NULL, product_id TEXT NOT NULL,
                on_hand BIGINT NOT NULL, PRIMARY KEY (variant_id, location))
            """,
            "CREATE INDEX stock_levels_by_product ON stock_levels (product_id)",
        ]),
        Migration(id: "0003_listing_facts", statements: [
            """
            CREATE TABLE listing_facts (product_id TEXT NOT NULL, channel TEXT NOT NULL, version BIGINT NOT NULL, at TEXT NOT NULL,
                settings_version BIGINT NOT NULL, facts TEXT NOT NULL, PRIMARY KEY (product_id, channel))
            """,
        ]),
        Migration(id: "0004_reservations", statements: [
            """
            CREATE TABLE stock_reservations (id TEXT PRIMARY KEY, holder TEXT NOT NULL, variant_id TEXT NOT NULL,
                location TEXT NOT NULL, quantity BIGINT NOT NULL, expires_at TEXT NOT NULL)
            """,
            "CREATE INDEX stock_reservations_by_variant ON stock_reservations (variant_id, location, expires_at)",
            "CREATE INDEX stock_reservations_by_holder ON stock_reservations (holder)",
        ]),
        Migration(id: "0005_commerce", statements: ["shipping_methods", "tax_rates"].map {
            "CREATE TABLE \($0) (key TEXT PRIMARY KEY, version BIGINT NOT NULL, doc TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
        } + [
            """
            CREATE TABLE carts (id TEXT PRIMARY KEY, channel TEXT NOT NULL, status TEXT NOT NULL, version BIGINT NOT NULL,
                doc TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE orders (id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, cart_id TEXT NOT NULL UNIQUE, channel TEXT NOT NULL,
                customer_id TEXT, email TEXT, status TEXT NOT NULL, version BIGINT NOT NULL, doc TEXT NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """,
            "CREATE INDEX orders_by_status ON orders (status, id)",
            "CREATE INDEX orders_by_customer ON orders (customer_id, id)",
            """
            CREATE TABLE payments (id TEXT PRIMARY KEY, order_id TEXT NOT NULL, provider TEXT NOT NULL, reference TEXT NOT NULL,
                status TEXT NOT NULL, amount BIGINT NOT NULL, currency TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            "CREATE INDEX payments_by_order ON payments (order_id)",
            """
            CREATE TABLE events (seq BIGINT PRIMARY KEY, type TEXT NOT NULL, channel TEXT, subject TEXT NOT NULL,
                data TEXT NOT NULL, at TEXT NOT NULL)
            """,
            "INSERT INTO meta (key, value) VALUES ('order_number', 100000)",
            "INSERT INTO meta (key, value) VALUES ('event_seq', 0)",
        ]),
        Migration(id: "0006_customers", statements: [
            """
            CREATE TABLE customers (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, password_hash TEXT, version BIGINT NOT NULL,
                doc TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE customer_sessions (token_hash TEXT PRIMARY KEY, customer_id TEXT NOT NULL, channel TEXT NOT NULL,
                expires_at TEXT NOT NULL)
            """,
            "CREATE INDEX customer_sessions_by_customer ON customer_sessions (customer_id, expires_at)",
        ]),
        Migration(id: "0007_promotions", statements: [
            "CREATE TABLE promotions (key TEXT PRIMARY KEY, version BIGINT NOT NULL, doc TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
        ]),
        Migration(id: "0008_price_lists", statements: [
            "CREATE TABLE price_lists (key TEXT PRIMARY KEY, version BIGINT NOT NULL, doc TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
        ]),
        Migration(id: "0009_event_origin", statements: [
            // The node that committed an event: nodes follow the outbox and skip their own.
            "ALTER TABLE events ADD COLUMN origin TEXT",
        ]),
        Migration(id: "0010_webhooks", statements: [
            // Subscriptions: the view as a document; secrets, the flag and the sender's bookkeeping as columns.
            """
            CREATE TABLE webhooks (id TEXT PRIMARY KEY, version BIGINT NOT NULL, doc TEXT NOT NULL, secret TEXT NOT NULL,
                previous_secret TEXT, previous_secret_expires_at TEXT, enabled BIGINT NOT NULL,
                consecutive_failures BIGINT NOT NULL, paused_until TEXT, after_seq BIGINT NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE webhook_deliveries (id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, event_seq BIGINT NOT NULL,
                status TEXT NOT NULL, attempts BIGINT NOT NULL, next_attempt_at TEXT, lease_until TEXT, last_status_code BIGINT,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """,
            // Due deliveries per subscription, oldest due first; and the delivery log, newest first.
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (webhook_id, next_attempt_at) WHERE status = 'pending'",
            "CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id)",
            """
            CREATE TABLE webhook_attempts (delivery_id TEXT NOT NULL, attempt BIGINT NOT NULL, at TEXT NOT NULL, status_code BIGINT,
                latency_ms BIGINT NOT NULL, error TEXT, error_detail TEXT, response TEXT, PRIMARY KEY (delivery_id, attempt))
            """,
            // The last event fanned out to subscriptions. None existed before: start at the outbox's end.
            "INSERT INTO meta (key, value) SELECT 'webhook_cursor', value FROM meta WHERE key = 'event_seq'",
        ]),
        Migration(id: "0011_inventory", statements: [
            // Every variant by SKU, kept with the product (stock rows name variants; the inventory API names SKUs).
            """
            CREATE TABLE variants (id TEXT PRIMARY KEY, sku TEXT NOT NULL UNIQUE, product_id TEXT NOT NULL,
                allow_backorder BIGINT NOT NULL)
            """,
            "CREATE INDEX variants_by_product ON variants (product_id)",
            "CREATE INDEX stock_levels_by_location ON stock_levels (location, variant_id)",
            "CREATE INDEX stock_reservations_by_expiry ON stock_reservations (expires_at)",
            // The adjustment log: one batch per call, one line per change, before and after.
            """
            CREATE TABLE stock_adjustments (batch TEXT NOT NULL, line BIGINT NOT NULL, variant_id TEXT NOT NULL, sku TEXT NOT NULL,
                product_id TEXT NOT NULL, location TEXT NOT NULL, kind TEXT NOT NULL, quantity BIGINT NOT NULL,
                on_hand_before BIGINT NOT NULL, on_hand_after BIGINT NOT NULL, reason TEXT NOT NULL, reference TEXT,
                actor TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (batch, line))
            """,
            "CREATE INDEX stock_adjustments_by_variant ON stock_adjustments (variant_id, batch)",
            "CREATE INDEX stock_adjustments_by_location ON stock_adjustments (location, batch)",
        ]),
        Migration(id: "0012_housekeeping", statements: [
            // The sweeper finds abandoned carts and idempotency answers past their window.
            "CREATE INDEX carts_by_status_and_age ON carts (status, updated_at)",
            "CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at)",
        ]),
        Migration(id: "0013_cart_handoffs", statements: [
            // A billboard's cart handed to a phone: the code's digest, single use, short-lived.
            """
            CREATE TABLE cart_handoffs (
                code_hash TEXT PRIMARY KEY, cart_id TEXT NOT NULL, channel TEXT NOT NULL,
                expires_at TEXT NOT NULL, claimed_at TEXT, created_at TEXT NOT NULL)
            """,
            "CREATE INDEX cart_handoffs_by_cart ON cart_handoffs (cart_id)",
            "CREATE INDEX cart_handoffs_by_expiry ON cart_handoffs (expires_at)",
        ]),
        Migration(id: "0014_imports", statements: [
            "CREATE TABLE import_jobs (id TEXT PRIMARY KEY, state TEXT NOT NULL, doc TEXT NOT NULL, created_at TEXT NOT NULL)",
            "CREATE INDEX import_jobs_by_state ON import_jobs (state, created_at)",
            """
            CREATE TABLE import_errors (
                job_id TEXT NOT NULL, seq INTEGER NOT NULL, line INTEGER NOT NULL, column_name TEXT, code TEXT NOT NULL, detail TEXT NOT NULL,
                PRIMARY KEY (job_id, seq))
            """,
        ]),
        Migration(id: "0015_holds_per_client", statements: [
            // Who asked for a hold (the client's address), so one client cannot hold everything.
            "ALTER TABLE stock_reservations ADD COLUMN client TEXT",
            "CREATE INDEX stock_reservations_by_client ON stock_reservations (client, expires_at)",
        ]),
        Migration(id: "0016_back_office", statements: [
            // People of the back office: the password hash in a column of its own, never in the document.
            """
            CREATE TABLE admin_users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, doc TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """,
            "CREATE TABLE admin_sessions (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, csrf TEXT NOT NULL, expires_at TEXT NOT NULL)",
            "CREATE INDEX admin_sessions_by_user ON admin_sessions (user_id, expires_at)",
            // Every change by a person or a key, newest read first, trimmed to its retention.
            """
            CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor_id TEXT NOT NULL, actor_name TEXT NOT NULL,
                action TEXT NOT NULL, target TEXT NOT NULL, status BIGINT NOT NULL)
            """,
            "CREATE INDEX audit_log_by_actor ON audit_log (actor_id, seq)",
            "CREATE INDEX audit_log_by_time ON audit_log (at)",
            // The log's numbers come from a counter row: its lock orders concurrent writers on both databases.
            "INSERT INTO meta (key, value) VALUES ('audit_seq', 0)",
        ]),
        Migration(id: "0017_admin_invitations", statements: [
            // A link an owner sends a new person: its token's hash, single use, until it expires.
            "CREATE TABLE admin_invitations (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, expires_at TEXT NOT NULL)",
            "CREATE INDEX admin_invitations_by_user ON admin_invitations (user_id)",
        ]),
    ]
}
