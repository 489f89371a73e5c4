#!/usr/bin/env python3
"""Related-posts ceiling on Reuters-21578: plain tf-idf nearest neighbours, no pipeline, no recency, no limits.

What precision@5 (share of related posts sharing a topic code, over stories with topic codes) an idealised text
method reaches when it may look at every story, earlier or later: the reference for `npm run eval:related`.
Needs python3-numpy and python3-scipy (Debian). Usage:
  python3 scripts/related-ceiling.py ../shared/datasets/reuters21578/train.jsonl [--chars 600] [--terms 25] [--days 30] [--past-only]
"""
import argparse, datetime, json, math, re
from collections import Counter

import numpy as np
import scipy.sparse as sp

STOP = set("""a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he her here
hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours
out over own same she should so some such than that the their theirs them then there these they this those through to
too under until up very was we were what when where which while who whom why will with would you your yours said says
say new one two three mr mrs ms reuters year years week month day today""".split())

ap = argparse.ArgumentParser()
ap.add_argument('dataset', nargs='?', default='../shared/datasets/reuters21578/train.jsonl')
ap.add_argument('--chars', type=int, default=600, help='characters of body text read after the title (title counts twice)')
ap.add_argument('--terms', type=int, default=25, help='heaviest tf-idf words kept per story')
ap.add_argument('--days', type=float, default=30, help='candidates within this many days')
ap.add_argument('--past-only', action='store_true', help='only earlier stories (what a story can see when it arrives)')
args = ap.parse_args()

rows = [json.loads(line) for line in open(args.dataset)]
rows = [r for r in rows if r.get('date') and (r['title'].strip() or r['body'].strip())]
rows.sort(key=lambda r: (r['date'], r['newid']))
words = lambda s: [w for w in re.findall(r'[a-z][a-z0-9]+', s.lower()) if w not in STOP]
docs = []
for r in rows:
    c = Counter()
    for w in words(r['title']): c[w] += 2
    for w in words(r['body'][:args.chars]): c[w] += 1
    docs.append(c)
n = len(docs)
df = Counter(w for d in docs for w in d)
vocab = {w: i for i, w in enumerate(df)}
ri, ci, vals = [], [], []
for i, d in enumerate(docs):
    weighted = sorted(((w, (1 + math.log(c)) * math.log(1 + n / df[w])) for w, c in d.items()), key=lambda x: -x[1])[:args.terms]
    norm = math.sqrt(sum(v * v for _, v in weighted)) or 1
    for w, v in weighted:
        ri.append(i); ci.append(vocab[w]); vals.append(v / norm)
x = sp.csr_matrix((vals, (ri, ci)), shape=(n, len(vocab)))
sim = (x @ x.T).tocsr()
topics = [set(r['topics']) for r in rows]
judged = [r.get('topics_attr') == 'YES' or bool(r['topics']) for r in rows]
when = np.array([datetime.datetime.fromisoformat(r['date'].replace('Z', '')).timestamp() for r in rows])
hits = listed = hits_judged = listed_judged = 0
for i in range(n):
    if not topics[i]: continue
    row = sim.getrow(i)
    idx, score = row.indices, row.data
    # not itself, not a copy (cosine >= 0.9), within the time window
    keep = (idx != i) & (score < 0.9) & (np.abs(when[idx] - when[i]) < args.days * 86400)
    if args.past_only: keep &= idx < i
    for j in idx[keep][np.argsort(-score[keep])[:5]]:
        hit = bool(topics[i] & topics[j])
        listed += 1; hits += hit
        if judged[j]: listed_judged += 1; hits_judged += hit
print(f'stories {n}; {args.chars} chars, {args.terms} words, {args.days} days, {"earlier only" if args.past_only else "earlier and later"}')
print(f'precision@5 {hits / listed:.3f} ({listed} links); over judged links {hits_judged / listed_judged:.3f} ({listed_judged} links)')
