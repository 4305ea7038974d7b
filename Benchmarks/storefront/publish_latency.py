"""Publish-to-visible: create complete products, publish each, and time from the publish call
returning to the storefront answering 200 for it (and the publish call itself)."""
import json, os, statistics, sys, time, urllib.request, urllib.error

base, admin, pk, samples = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def call(method, path, key, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")

def product(index):
    slug = f"latency-{os.getpid()}-{index}"
    text = lambda value, locale, channel=None: {"locale": locale, "channel": channel, "data": value}
    return slug, {
        "product_type": "tshirt", "slug": {"en-US": slug, "de-DE": slug + "-de"},
        "values": {
            "name": [text(f"Latency Tee {index}", "en-US"), text(f"Latenz-Shirt {index}", "de-DE")],
            "description": [text("Measured.", "en-US"), text("Gemessen.", "de-DE")],
            "spoken_description": [text("Measured.", "en-US", "voice"), text("Gemessen.", "de-DE", "voice")],
            "hero_image": [text("https://images.torso.dev/latency.jpg", None)],
        },
        "variants": [{"sku": f"LAT-{os.getpid()}-{index}", "axes": {"color": "black", "size": "m"},
                      "prices": [{"amount": 1999, "currency": "EUR"}], "stock": [{"location": "berlin", "on_hand": 3}]}],
    }

visible, calls = [], []
for index in range(samples):
    slug, body = product(index)
    status, created = call("POST", "/admin/v1/products", admin, body)
    assert status == 201, (status, created)
    started = time.perf_counter()
    status, answer = call("POST", f"/admin/v1/products/{created['id']}/publish", admin, {"channels": ["web"]})
    returned = time.perf_counter()
    assert status == 200, (status, answer)
    while call("GET", f"/store/v1/products/{slug}", pk)[0] != 200:
        pass
    seen = time.perf_counter()
    calls.append((returned - started) * 1000)
    visible.append((seen - returned) * 1000)

def summary(values):
    values = sorted(values)
    return f"p50 {statistics.median(values):.1f} ms, max {values[-1]:.1f} ms"
print(f"publish call (includes the snapshot swap): {summary(calls)}")
print(f"publish returned -> visible in the storefront: {summary(visible)}")
