# Peer for the ingest benchmark: Debian's python3-feedparser parsing the same documents (parse only).
# Usage: /usr/bin/python3 bench/feedparser_peer.py DIR ROUNDS  ->  {"items": N, "seconds": [...], "version": "..."}
import json, os, sys, time
import feedparser

directory, rounds = sys.argv[1], int(sys.argv[2])
docs = []
for name in sorted(os.listdir(directory)):
    with open(os.path.join(directory, name), 'rb') as f:
        docs.append(f.read())
items = sum(len(feedparser.parse(doc).entries) for doc in docs[:1]) and 0
seconds = []
for _ in range(rounds):
    started = time.perf_counter()
    items = 0
    for doc in docs:
        items += len(feedparser.parse(doc).entries)
    seconds.append(time.perf_counter() - started)
print(json.dumps({'items': items, 'seconds': seconds, 'version': feedparser.__version__}))
