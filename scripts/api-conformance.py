#!/usr/bin/env python3
"""Checks the answers of a running Torso server against its own OpenAPI document (GET /openapi.json).

    scripts/api-conformance.py --url http://127.0.0.1:8080 --admin-key sk_... [--verbose]

Walks every operation of the document with real requests (IDs from list answers; what it creates
it deletes where the API allows) and a few unhappy paths (401, 404, 409, 422), and checks each
answer: status documented (or "default"), content type declared, JSON body valid against the
declared schema (JSON Schema 2020-12, "$ref"s resolved against the whole document). Prints one
line per problem, the operations never answered with a 2xx, and `conformance: N passed, M failed`;
exits 1 on any problem or uncovered operation. Needs the standard library and jsonschema 4.x.
"""
import argparse
import copy
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

DOC_URI = "urn:torso:openapi"
METHODS = ("get", "put", "post", "patch", "delete")
JSON_TYPES = ("application/json", "application/problem+json")
READ_ONLY = {"id", "version", "created_at", "updated_at", "times_used", "revoked_at", "published_at"}
# Operations whose documented answer is a refusal by design: the walk expects it instead of a 2xx.
REFUSED_BY_DESIGN = {("DELETE", "/admin/v1/stock-locations/{key}"): 409}  # stock may refer to a location
SUFFIX = uuid.uuid4().hex[:6]
SUFFIX_DIGITS = str(int(SUFFIX, 16)).zfill(8)[:6]


def media_type(value):
    return (value or "").split(";")[0].strip().lower()


def escape(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def q(value):
    return urllib.parse.quote(str(value), safe="")


class Spec:
    """The OpenAPI document: operations by method and path, and validation of answers."""

    def __init__(self, doc):
        self.doc, self.validators, self.operations = doc, {}, []  # (METHOD, template, regex)
        self.registry = Registry().with_resource(DOC_URI, DRAFT202012.create_resource(doc))
        for template, item in doc.get("paths", {}).items():
            regex = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")
            self.operations += [(m.upper(), template, regex) for m in METHODS if m in item]
        self.operations.sort(key=lambda op: op[1].count("{"))  # literal segments win over parameters

    def find(self, method, path):
        return next((t for m, t, regex in self.operations if m == method and regex.match(path)), None)

    def resolve(self, obj, pointer):
        """Follows local "$ref"s of OpenAPI objects (responses, media types), keeping the JSON pointer."""
        while isinstance(obj, dict) and str(obj.get("$ref", "")).startswith("#/"):
            pointer, obj = obj["$ref"][1:], self.doc
            for token in pointer.split("/")[1:]:
                obj = obj[token.replace("~1", "/").replace("~0", "~")]
        return obj, pointer

    def response(self, method, template, status):
        """The response object for a status ("201", then "2XX", then "default") and its pointer."""
        responses = self.doc["paths"][template][method.lower()].get("responses", {})
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in responses:
                return self.resolve(responses[key], f"/paths/{escape(template)}/{method.lower()}/responses/{key}")
        return None, None

    def validate(self, pointer, instance):
        if pointer not in self.validators:
            self.validators[pointer] = Draft202012Validator({"$ref": f"{DOC_URI}#{pointer}"}, registry=self.registry,
                                                            format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(self.validators[pointer].iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
        return ["at /" + "/".join(str(p) for p in e.absolute_path) + ": " + e.message[:300] for e in errors]


class Answer:
    def __init__(self, status, headers, raw):
        self.status, self.headers, self.raw = status, headers, raw
        self.content_type = media_type(headers.get("Content-Type"))
        try:
            self.json = json.loads(raw) if raw and self.content_type in JSON_TYPES else None
        except ValueError:
            self.json = None
        self.ok = 200 <= status < 300

    def get(self, *path, default=None):
        value = self.json
        for key in path:
            try:
                value = value[key]
            except (KeyError, IndexError, TypeError):
                return default
        return value

    def if_match(self):
        etag = (self.headers.get("ETag") or "").strip('W/"')
        version = self.get("version") or (etag if etag.isdigit() else None)
        return {"If-Match": f'"{version}"'} if version else {}


class Checker:
    """Makes calls, checks every answer against the document and counts them."""

    def __init__(self, url, admin_key, verbose):
        self.url, self.admin, self.verbose = url.rstrip("/"), admin_key, verbose
        self.publishable = self.customer = self.spec = self.last = None
        self.passed = self.failed = 0
        self.covered = set()

    def call(self, method, path, *, key="admin", body=None, headers=None, query=None, expect=None, sse=False, raw=None):
        """One call: key is "admin", "store" (the publishable key), None or a literal key; raw
        sends bytes (a file) instead of JSON."""
        template = self.spec.find(method, path)
        head = {"Accept": "text/event-stream" if sse else "application/json", **(headers or {})}
        token = {"admin": self.admin, "store": self.publishable}.get(key, key)
        if token:
            head["Authorization"] = "Bearer " + token
        data = raw if raw is not None else None if body is None else json.dumps(body).encode()
        if data is not None:
            head.setdefault("Content-Type", self.request_type(method, template))
        url = self.url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        request = urllib.request.Request(url, data=data, headers=head, method=method)
        try:
            with urllib.request.urlopen(request, timeout=2 if sse else 30) as reply:
                answer = Answer(reply.status, reply.headers, self.read(reply, sse))
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, error.headers, error.read())
        except OSError as error:
            self.record(method, template or path, path, None, [f"no answer: {error}"])
            return Answer(0, {}, b"")
        if template and (answer.ok or REFUSED_BY_DESIGN.get((method, template)) == answer.status):
            self.covered.add((method, template))
        self.record(method, template or path, path, answer.status, self.check(method, path, template, answer, expect))
        return answer

    @staticmethod
    def read(reply, sse):
        if not sse:
            return reply.read()
        try:
            return reply.readline() + reply.readline()  # "retry: …" and ": connected …"
        except TimeoutError:
            return b""

    def request_type(self, method, template):
        operation = self.spec.doc["paths"][template][method.lower()] if template else {}
        content = self.spec.resolve(operation.get("requestBody", {}), "")[0].get("content", {})
        return "application/merge-patch+json" if "application/merge-patch+json" in content else "application/json"

    def check(self, method, path, template, answer, expect):
        if template is None:
            return [f"{method} {path} is not in the document"]
        problems, where = [], f"{method} {template} {answer.status}"
        if answer.status >= 500:
            problems.append(f"server error: {answer.raw[:200]!r}")
        if expect is not None and answer.status not in (expect if isinstance(expect, tuple) else (expect,)):
            problems.append(f"expected {expect}: {answer.get('detail') or answer.raw[:200]!r} {answer.get('errors', default='')}")
        response, pointer = self.spec.response(method, template, answer.status)
        if response is None:
            return problems + [f"status {answer.status} not documented for {method} {template} (and no default)"]
        content = response.get("content") or {}
        declared = {media_type(t): t for t in content}
        if not answer.raw and not answer.content_type:
            json_declared = sorted(set(declared) & set(JSON_TYPES))
            return problems + ([f"empty answer, but {where} declares {json_declared}"] if json_declared else [])
        if answer.content_type not in declared:
            if answer.content_type in JSON_TYPES and not declared:
                return problems + [f"no schema for {where}"]
            return problems + [f"content type {answer.content_type or 'none'} not documented for {where} "
                               f"(documented: {', '.join(sorted(declared)) or 'none'})"]
        if answer.content_type not in JSON_TYPES:
            return problems  # text/plain, text/event-stream: the content type is all we check
        if answer.json is None:
            return problems + ["the body is not JSON"]
        name = declared[answer.content_type]
        media, media_pointer = self.spec.resolve(content[name], f"{pointer}/content/{escape(name)}")
        if "schema" not in media:
            return problems + [f"no schema for {where}"]
        return problems + self.spec.validate(media_pointer + "/schema", answer.json)

    def record(self, method, operation, path, status, problems):
        self.last = (f"{method} {operation}" + (f" [{path}]" if path != operation else "") + f" -> {status}", not problems)
        if problems:
            self.failed += 1
            for problem in problems:
                print(f"FAIL {self.last[0]}: {problem}")
        else:
            self.passed += 1
            if self.verbose:
                print(f"ok   {self.last[0]}")

    def flag(self, message):
        """Turns the last call into a problem the walk found (a refused copy, a different order)."""
        if self.last[1]:
            self.passed, self.failed, self.last = self.passed - 1, self.failed + 1, (self.last[0], False)
        print(f"FAIL {self.last[0]}: {message}")

    @staticmethod
    def note(message):
        print(f"note {message}")


# --- copies of existing resources -------------------------------------------------------------------

def fresh_code(code):
    if re.fullmatch(r"[a-z]{2,3}-[A-Z]{2}", code):  # a locale: a private-use language (qaa–qtz)
        return "q" + "".join(chr(97 + int(c, 16) % 20) for c in SUFFIX[:2]) + code[-3:]
    return (code + "_" + SUFFIX.upper() if code.isupper() else code + "_" + SUFFIX)[:64]


def strip_read_only(value):
    if isinstance(value, dict):
        return {k: strip_read_only(v) for k, v in value.items() if k not in READ_ONLY}
    return [strip_read_only(v) for v in value] if isinstance(value, list) else value


def fresh_copy(item):
    """A create body from an existing resource: no read-only members; new code, slugs and SKUs."""
    body = strip_read_only(copy.deepcopy(item))
    if isinstance(body.get("code"), str):
        body["code"] = fresh_code(body["code"])
    if isinstance(body.get("slug"), dict):
        body["slug"] = {locale: f"{slug}-{SUFFIX}" for locale, slug in body["slug"].items()}
    for variant in body.get("variants") or []:
        if isinstance(variant.get("sku"), str):
            variant["sku"] = f"{variant['sku']}-{SUFFIX.upper()}"
    return body


def adapt(body, original, errors):
    """Adapts a refused copy to the field errors of its 422; False if nothing could be adapted."""
    changed = False
    for error in errors or []:
        code = error.get("code") or ""
        *path, last = [t.replace("~1", "/").replace("~0", "~") for t in (error.get("pointer") or "").split("/")[1:]] or [None]
        try:
            parent = body
            for token in path:
                parent = parent[int(token) if isinstance(parent, list) else token]
            last = int(last) if isinstance(parent, list) else last
            if code == "required" and not path and last in original:  # e.g. a promotion's own id
                parent[last] = fresh_code(original[last]) if isinstance(original[last], str) else original[last]
            elif code in ("unknown_field", "read_only", "immutable_field", "not_allowed"):
                del parent[last]
            elif ("duplicate" in code or code in ("already_exists", "taken")) and isinstance(parent[last], str):
                value = parent[last]
                parent[last] = SUFFIX_DIGITS + value[6:] if value.isdigit() else f"{value}-{SUFFIX}"
            else:
                continue
            changed = True
        except (KeyError, IndexError, ValueError, TypeError):
            continue
    return changed


def harmless_patch(item):
    """A small change to a resource the walk created: its name, or else one number."""
    for member in ("name", "names", "labels"):
        value = item.get(member)
        if isinstance(value, str):
            return {member: value + " (conformance)"}
        if isinstance(value, dict) and value:
            return {member: {k: f"{v} (conformance)" for k, v in value.items()}}
    names = (item.get("values") or {}).get("name")
    if names:
        return {"values": {"name": [{**n, "data": f"{n['data']} (conformance)"} for n in names]}}
    number = next((k for k, v in item.items() if type(v) is int and k not in READ_ONLY), None)
    return {number: item[number] + 1} if number else {}


def key_of(item):
    return item.get("id") or item.get("code")


# --- walks, one per area ----------------------------------------------------------------------------

def walk_system(c):
    c.call("GET", "/health", key=None, expect=200)
    c.call("GET", "/metrics", key=None, headers={"Accept": "text/plain, */*"}, expect=200)
    c.call("GET", "/openapi.json", key=None, expect=200)
    c.call("GET", "/admin/v1/products", key=None, expect=401)
    c.call("GET", "/admin/v1/products/prod_00000000000000000000000000", expect=404)
    c.call("POST", "/admin/v1/tax-rates", body={"code": 7}, expect=422)


def generic_resources(spec):
    """Collections with list, create, read, update and delete (/admin/v1/X, /admin/v1/X/{key}), but webhooks."""
    found = []
    for template, item in spec.doc["paths"].items():
        match = re.fullmatch(r"/admin/v1/([a-z-]+)/\{[^/]+\}", template)
        collection = spec.doc["paths"].get(template.rsplit("/", 1)[0], {})
        if match and match.group(1) != "webhooks" and {"get", "post"} <= collection.keys() and {"get", "patch", "delete"} <= item.keys():
            found.append((match.group(1), template))
    return sorted(found)


def create_copy(c, base, original):
    """POSTs a copy of a resource, adapting it to a 422's field errors a few times."""
    body = fresh_copy(original)
    for attempt in range(5):
        created = c.call("POST", base, body=body, expect=(201, 422))
        if created.status != 422:
            return created if created.ok and isinstance(created.json, dict) else None
        errors = [e for e in created.get("errors", default=None) or [] if isinstance(e, dict)]
        if attempt == 4 or not adapt(body, original, errors):
            return c.flag(f"the copy was refused and cannot be adapted: {errors or created.get('detail')}")
        c.note(f"POST {base}: the copy was refused ({[(e.get('pointer'), e.get('code')) for e in errors]}); adapted")


def walk_resource(c, name, template, during=None):
    """List, read, create a copy, update (also with a stale version), read and delete."""
    base = f"/admin/v1/{name}"
    items = c.call("GET", base, query={"limit": 2}, expect=200).get("data", default=[])
    if not items:
        return c.note(f"{base} is empty: nothing to copy")
    original = c.call("GET", f"{base}/{q(key_of(items[0]))}", expect=200)
    created = create_copy(c, base, original.json) if isinstance(original.json, dict) else None
    if not created:
        return
    path = f"{base}/{q(key_of(created.json))}"
    c.call("PATCH", path, body=harmless_patch(created.json), headers=created.if_match(), expect=200)
    if during:
        during(c, path, key_of(items[0]))
    current = c.call("GET", path, expect=200)
    c.call("PATCH", path, body=harmless_patch(created.json), headers={"If-Match": '"999"'}, expect=409)
    c.call("DELETE", path, headers=current.if_match(), expect=REFUSED_BY_DESIGN.get(("DELETE", template), 204))


def walk_product(c, path, existing):
    """Completeness, history and publishing of the product copy (of a demo product if the copy is incomplete)."""
    for part in ("completeness", "history", "publication"):
        c.call("GET", f"{path}/{part}", expect=200)
    web = {"channels": ["web"]}
    published = c.call("POST", f"{path}/publish", body=web, expect=(200, 422))
    if published.status == 422:
        c.note(f"the copy cannot be published: {published.get('errors') or published.get('detail')}")
        c.call("POST", f"/admin/v1/products/{q(existing)}/publish", body=web, expect=200)
    c.call("POST", f"{path}/unpublish", body=web, expect=200)


def walk_keys(c):
    c.call("GET", "/admin/v1/keys", expect=200)
    created = c.call("POST", "/admin/v1/keys", body={"name": "conformance", "kind": "publishable", "channel": "web"}, expect=201)
    c.publishable = created.get("secret")
    return created.get("key", "id") or created.get("id")


def revoke_key(c, key_id):
    if key_id:
        c.call("DELETE", f"/admin/v1/keys/{q(key_id)}", expect=204)
        c.call("GET", "/store/v1/categories", key=c.publishable, expect=401)


def walk_store(c):
    """Product lists and details; returns the ID of a variant in stock."""
    listing = c.call("GET", "/store/v1/products", key="store", query={"limit": 3}, expect=200)
    c.call("GET", "/store/v1/products", key="store", query={"limit": 3, "q": "tee"}, expect=200)
    c.call("GET", "/store/v1/products", key="store", query={"limit": 3, "sort": "-price"}, expect=200)
    category = c.call("GET", "/store/v1/categories", key="store", expect=200).get("data", 0, "slug")
    if category:
        c.call("GET", "/store/v1/products", key="store", query={"limit": 3, "category": category}, expect=200)
    c.call("GET", "/store/v1/customers/me", key="store", expect=401)
    stores = c.call("GET", "/store/v1/stores", key="store", query={"near": "52.52,13.405"}, expect=200)
    store = stores.get("data", 0, "code")
    if store:
        c.call("GET", "/store/v1/products", key="store", query={"limit": 3, "in_stock_at": store}, expect=200)
    for product in listing.get("data", default=[]):
        c.call("GET", f"/store/v1/products/{q(product.get('id'))}", key="store", expect=200)
        detail = c.call("GET", f"/store/v1/products/{q(product.get('slug'))}", key="store", expect=200)
        c.call("GET", f"/store/v1/products/{q(product.get('slug'))}/availability", key="store", query={"near": "48.2,16.37"}, expect=200)
        if detail.headers.get("ETag"):
            c.call("GET", f"/store/v1/products/{q(product.get('slug'))}", key="store", headers={"If-None-Match": detail.headers["ETag"]}, expect=304)
        for variant in detail.get("variants", default=[]):
            if variant.get("in_stock") and (variant.get("available_quantity") or 0) >= 3:
                return variant.get("id")
    return c.note("no variant in stock among the first products: no cart")


def walk_inventory(c):
    """Levels, one adjustment batch (a delta of one unit in, under an Idempotency-Key) and the log."""
    levels = c.call("GET", "/admin/v1/inventory", query={"limit": 3}, expect=200)
    sku, location = levels.get("data", 0, "sku"), levels.get("data", 0, "location")
    if not sku:
        return c.note("no stock levels: no adjustment")
    c.call("GET", "/admin/v1/inventory", query={"sku": sku, "location": location, "below": 100000}, expect=200)
    batch = {"reason": "conformance", "reference": SUFFIX, "rows": [{"sku": sku, "location": location, "delta": 1}]}
    c.call("POST", "/admin/v1/inventory/adjustments", body=batch, headers={"Idempotency-Key": "conformance-" + SUFFIX}, expect=201)
    c.call("GET", "/admin/v1/inventory/adjustments", query={"sku": sku, "limit": 2}, expect=200)


def walk_customer(c):
    """Registers and signs in a customer, edits the profile and the address book."""
    email, password = f"conformance-{SUFFIX}@example.com", f"pw-{SUFFIX}-long"
    c.call("POST", "/store/v1/customers", key="store", body={"email": "not an address", "password": "x"}, expect=422)
    customer = c.call("POST", "/store/v1/customers", key="store", expect=201,
                      body={"email": email, "password": password, "first_name": "Con", "last_name": "Formance"})
    c.customer = c.call("POST", "/store/v1/customers/login", key="store", body={"email": email, "password": password},
                        expect=200).get("token")
    me = {"X-Customer-Token": c.customer or ""}
    profile = c.call("GET", "/store/v1/customers/me", key="store", headers=me, expect=200)
    c.call("PATCH", "/store/v1/customers/me", key="store", body={"phone": "+49 30 1234567"}, headers={**me, **profile.if_match()}, expect=200)
    address = {"first_name": "Con", "last_name": "Formance", "line1": "Unter den Linden 1", "city": "Berlin",
               "postal_code": "10117", "country": "DE"}
    added = c.call("POST", "/store/v1/customers/me/addresses", key="store", body=address, headers=me, expect=201)
    for entry in added.get("addresses", default=[])[:1]:
        path = f"/store/v1/customers/me/addresses/{q(entry.get('id'))}"
        patched = c.call("PATCH", path, key="store", body={"line2": "Hinterhaus"}, headers={**me, **added.if_match()}, expect=200)
        c.call("DELETE", path, key="store", headers={**me, **patched.if_match()}, expect=200)
    return customer.get("id") or profile.get("id"), address


def walk_cart(c, variant, address):
    """A cart of the signed-in customer from lines to order (its token and the customer's
    session on every call), then a guest cart handed off and claimed; returns the order's ID."""
    cart = c.call("POST", "/store/v1/carts", key="store", body={}, headers={"X-Customer-Token": c.customer or ""}, expect=201)
    if not cart.ok or not variant:
        return None
    h = {"X-Customer-Token": c.customer or "", "X-Cart-Token": cart.get("token") or ""}
    base = f"/store/v1/carts/{q(cart.get('id'))}"
    c.call("GET", base, key="store", headers=h, expect=200)
    c.call("GET", base, key="store", expect=401)
    cart = c.call("POST", f"{base}/lines", key="store", headers=h, body={"variant_id": variant, "quantity": 1}, expect=200)
    line = f"{base}/lines/{q(cart.get('lines', 0, 'id'))}"
    c.call("PATCH", line, key="store", headers=h, body={"quantity": 2}, expect=200)
    c.call("DELETE", line, key="store", headers=h, expect=200)
    c.call("POST", f"{base}/lines", key="store", headers=h, body={"variant_id": "var_00000000000000000000000000"}, expect=(404, 422))
    cart = c.call("POST", f"{base}/lines", key="store", headers=h, body={"variant_id": variant, "quantity": 1}, expect=200)
    c.call("PATCH", base, key="store", headers={**h, **cart.if_match()}, expect=200,
           body={"email": f"conformance-{SUFFIX}@example.com", "shipping_address": address, "shipping_method": "standard"})
    c.call("GET", f"{base}/shipping-methods", key="store", headers=h, expect=200)
    c.call("POST", f"{base}/promotions", key="store", headers=h, body={"code": "WELCOME10"}, expect=200)
    c.call("DELETE", f"{base}/promotions/WELCOME10", key="store", headers=h, expect=200)
    c.call("POST", f"{base}/checkout", key="store", headers=h, expect=200)
    c.call("POST", f"{base}/handoff", key="store", headers=h, expect=409)
    payment = {"payment": {"provider": "test", "type": "card", "card_number": "4242424242424242"}}
    order = c.call("POST", f"{base}/complete", key="store", headers=h, body=payment, expect=201)
    again = c.call("POST", f"{base}/complete", key="store", headers=h, body=payment, expect=200)
    if order.ok and again.get("id") != order.get("id"):
        c.flag(f"completing again answered order {again.get('id')}, not {order.get('id')}")
    if order.ok:
        c.call("GET", f"/store/v1/orders/{q(order.get('id'))}", key="store", headers=h, expect=200)
        c.call("GET", f"/store/v1/orders/{q(order.get('id'))}", key="store", expect=401)
    walk_handoff(c, variant)
    return order.get("id")


def walk_handoff(c, variant):
    """A screen's guest cart handed to a phone: code, stream, claim, a second claim refused."""
    screen = c.call("POST", "/store/v1/carts", key="store", body={}, expect=201)
    if not screen.ok:
        return
    base = f"/store/v1/carts/{q(screen.get('id'))}"
    watching = {"X-Cart-Token": screen.get("token") or ""}
    c.call("POST", f"{base}/lines", key="store", headers=watching, body={"variant_id": variant, "quantity": 1}, expect=200)
    handoff = c.call("POST", f"{base}/handoff", key="store", headers=watching, body={"expires_in": 300}, expect=201)
    c.call("GET", f"{base}/events", key="store", headers=watching, sse=True, expect=200)
    claimed = c.call("POST", "/store/v1/carts/claim", key="store", body={"code": handoff.get("code") or ""}, expect=200)
    if claimed.ok and not claimed.get("token"):
        c.flag("a claim answered no token")
    c.call("POST", "/store/v1/carts/claim", key="store", body={"code": handoff.get("code") or ""}, expect=410)
    c.call("POST", f"{base}/lines", key="store", headers=watching, body={"variant_id": variant, "quantity": 1}, expect=403)


def walk_orders(c, order_id):
    """The order the cart placed (else the first listed): read, then confirmed."""
    listing = c.call("GET", "/admin/v1/orders", query={"limit": 2}, expect=200)
    order_id = order_id or listing.get("data", 0, "id")
    if order_id:
        path = f"/admin/v1/orders/{q(order_id)}"
        c.call("POST", f"{path}/transitions", body={"event": "confirm"}, headers=c.call("GET", path, expect=200).if_match(), expect=200)


def walk_customer_end(c, customer_id):
    me = {"X-Customer-Token": c.customer or ""}
    c.call("GET", "/store/v1/customers/me/orders", key="store", headers=me, expect=200)
    c.call("POST", "/store/v1/customers/logout", key="store", headers=me, expect=204)
    c.call("GET", "/store/v1/customers/me", key="store", headers=me, expect=401)
    c.call("GET", "/admin/v1/customers", query={"limit": 2}, expect=200)
    if customer_id:
        current = c.call("GET", f"/admin/v1/customers/{q(customer_id)}", expect=200)
        c.call("PATCH", f"/admin/v1/customers/{q(customer_id)}", body={"group": "vip"}, headers=current.if_match(), expect=200)


def walk_imports(c):
    """A CSV import of one price change, followed to its end; its errors; an export in both formats."""
    export = c.call("GET", "/admin/v1/exports/products", query={"format": "ndjson"}, expect=200)
    first = json.loads(export.raw.split(b"\n", 1)[0] or b"{}")
    sku = ((first.get("variants") or [{}])[0]).get("sku")
    c.call("GET", "/admin/v1/exports/products", query={"format": "csv"}, expect=200)
    csv = f"sku,price-EUR\n{sku},19.99\nNO-SUCH-SKU,1.00\n".encode()
    job = c.call("POST", "/admin/v1/imports", query={"mode": "update", "file_name": "conformance.csv"}, raw=csv,
                 headers={"Content-Type": "text/csv"}, expect=202)
    c.call("POST", "/admin/v1/imports", raw=b"name\nx\n", headers={"Content-Type": "text/csv"}, expect=422)
    path = f"/admin/v1/imports/{q(job.get('id'))}"
    for _ in range(100):
        current = c.call("GET", path, expect=200)
        if current.get("state") not in ("queued", "running"):
            break
        time.sleep(0.1)
    if current.get("state") != "completed" or current.get("counts", "failed") != 1:
        c.flag(f"the import ended {current.get('state')} with {current.get('counts')}")
    c.call("GET", f"{path}/errors", query={"format": "csv"}, expect=200)
    c.call("GET", "/admin/v1/imports", query={"limit": 5}, expect=200)
    c.call("POST", f"{path}/cancel", expect=200)


def walk_events(c):
    c.call("GET", "/admin/v1/events", query={"limit": 5}, expect=200)
    c.call("GET", "/admin/v1/events", sse=True, expect=200)
    c.call("GET", "/admin/v1/audit", query={"limit": 5}, expect=200)
    c.call("GET", "/store/v1/events", key="store", sse=True, expect=200)


def create_webhook(c):
    created = c.call("POST", "/admin/v1/webhooks", body={"url": "https://example.com/hook", "events": ["*"]}, expect=201)
    if not created.ok:
        c.note(f"the webhook was refused: {created.get('detail')} {created.get('errors', default='')}")
    return created.get("id")


def walk_webhook(c, webhook):
    """The webhook created at the start, by now with deliveries of what the walk did."""
    c.call("GET", "/admin/v1/webhooks", expect=200)
    if not webhook:
        return
    path = f"/admin/v1/webhooks/{q(webhook)}"
    current = c.call("GET", path, expect=200)
    c.call("PATCH", path, body={"description": "conformance"}, headers=current.if_match(), expect=200)
    c.call("POST", f"{path}/rotate-secret", expect=200)
    for attempt in range(10):  # deliveries are queued in the background
        deliveries = c.call("GET", f"{path}/deliveries", query={"limit": 2}, expect=200).get("data", default=[])
        if deliveries or attempt == 9:
            break
        time.sleep(0.5)
    if deliveries:
        c.call("GET", f"{path}/deliveries/{q(deliveries[0].get('id'))}", expect=200)
        c.call("POST", f"{path}/deliveries/{q(deliveries[0].get('id'))}/redeliver", expect=202)
    else:
        c.note("the webhook has no deliveries")
    c.call("DELETE", path, headers=c.call("GET", path, expect=200).if_match(), expect=204)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--admin-key", required=True, help="a secret key with every scope")
    parser.add_argument("--verbose", action="store_true", help="print every call, not only problems")
    args = parser.parse_args()
    c = Checker(args.url, args.admin_key, args.verbose)
    try:
        with urllib.request.urlopen(c.url + "/openapi.json", timeout=30) as reply:
            c.spec = Spec(json.loads(reply.read()))
    except (OSError, ValueError) as error:
        print(f"conformance: cannot read {c.url}/openapi.json: {error}")
        return 2

    walk_system(c)
    key_id = walk_keys(c)
    webhook = create_webhook(c)
    for name, template in generic_resources(c.spec):
        walk_resource(c, name, template, during=walk_product if name == "products" else None)
    walk_inventory(c)
    walk_imports(c)
    variant = walk_store(c)
    customer_id, address = walk_customer(c)
    walk_orders(c, walk_cart(c, variant, address))
    walk_customer_end(c, customer_id)
    walk_events(c)
    walk_webhook(c, webhook)
    revoke_key(c, key_id)

    never = sorted({(m, t) for m, t, _ in c.spec.operations} - c.covered, key=lambda op: (op[1], op[0]))
    for method, template in never:
        print(f"never called: {method} {template}")
    print(f"conformance: {c.passed} passed, {c.failed} failed")
    return 1 if c.failed or never else 0


if __name__ == "__main__":
    sys.exit(main())
