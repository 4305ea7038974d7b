#!/usr/bin/env python3
"""Prints storefront category-page paths for wrk: every category of the tree (a root takes its
sub-categories) in every sort, pages one to three (the later pages by their cursors).

    category_paths.py BASE_URL PUBLISHABLE_KEY
"""
import json
import sys
import urllib.parse
import urllib.request

base, key = sys.argv[1], sys.argv[2]


def get(path):
    request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + key})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def slugs(nodes):
    for node in nodes:
        yield node["slug"]
        yield from slugs(node["children"])


for slug in slugs(get("/store/v1/categories")["data"]):
    for sort in ["newest", "price", "-price", "name"]:
        path = f"/store/v1/products?category={urllib.parse.quote(slug)}&sort={urllib.parse.quote(sort)}&limit=20"
        for _ in range(3):
            print(path)
            cursor = get(path)["next_cursor"]
            if not cursor:
                break
            path = path.split("&cursor=")[0] + "&cursor=" + urllib.parse.quote(cursor)
