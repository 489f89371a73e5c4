# Reads each URL given on the command line with Debian's python3-feedparser and prints what it saw as one JSON object.
import json
import sys

import feedparser


def describe(url):
    parsed = feedparser.parse(url)
    return {
        "status": parsed.get("status"),
        "etag": parsed.get("etag"),
        "version": parsed.get("version"),
        "bozo": int(bool(parsed.get("bozo"))),
        "bozo_exception": repr(parsed.get("bozo_exception")) if parsed.get("bozo") else None,
        "feed_title": parsed.feed.get("title"),
        "self": [link.get("href") for link in parsed.feed.get("links", []) if link.get("rel") == "self"],
        "hubs": [link.get("href") for link in parsed.feed.get("links", []) if link.get("rel") == "hub"],
        "entries": [{"id": e.get("id"), "title": e.get("title"), "link": e.get("link")} for e in parsed.entries],
    }


print(json.dumps({"feedparser": feedparser.__version__, "feeds": {url: describe(url) for url in sys.argv[1:]}}))
