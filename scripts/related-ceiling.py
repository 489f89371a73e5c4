#!/usr/bin/env python3
"""Related-posts ceiling on Reuters-21578: plain tf-idf nearest neighbours, no pipeline, no recency, no limits.

What precision@5 (share of related posts sharing a topic code, over stories with topic codes) an idealised text
method reaches when it may look at every story, earlier or later: the reference for `npm run eval:related`.
With --lsa DIMS, neighbours are ranked by alpha x tf-idf cosine + (1 - alpha) x LSA cosine (a truncated SVD of the
full tf-idf matrix fitted on the first --fit-share of the stories, the rest folded in), the idealised form of the
relate stage's subject space. Needs python3-numpy and python3-scipy (Debian). Usage:
  python3 scripts/related-ceiling.py ../shared/datasets/reuters21578/train.jsonl [--chars 600] [--terms 25] [--days 30] [--past-only]
      [--limit N] [--lsa 64 --alpha 0.4 --fit-share 0.1]
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
ap.add_argument('--limit', type=int, default=0, help='only the first N stories (by date)')
ap.add_argument('--lsa', type=int, default=0, help='dimensions of an LSA space mixed into the ranking (0: tf-idf only)')
ap.add_argument('--alpha', type=float, default=0.4, help='share of the tf-idf cosine when --lsa is given')
ap.add_argument('--fit-share', type=float, default=0.1, help='share of the stories (the first ones) the LSA space is fitted on')
args = ap.parse_args()

rows = [json.loads(line) for line in open(args.dataset)]
rows = [r for r in rows if r.get('date') and (r['title'].strip() or r['body'].strip())]
rows.sort(key=lambda r: (r['date'], r['newid']))
if args.limit: rows = rows[:args.limit]
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
lsa = None
if args.lsa:
    from scipy.sparse.linalg import svds
    ri, ci, vals = [], [], []
    for i, d in enumerate(docs):
        weighted = [(w, (1 + math.log(c)) * math.log(1 + n / df[w])) for w, c in d.items()]
        norm = math.sqrt(sum(v * v for _, v in weighted)) or 1
        for w, v in weighted:
            ri.append(i); ci.append(vocab[w]); vals.append(v / norm)
    full = sp.csr_matrix((vals, (ri, ci)), shape=(n, len(vocab)))
    _, _, vt = svds(full[:max(int(n * args.fit_share), args.lsa + 1)].astype(np.float64), k=args.lsa)
    lsa = np.asarray(full @ vt.T)
    lsa /= np.linalg.norm(lsa, axis=1, keepdims=True) + 1e-12
topics = [set(r['topics']) for r in rows]
judged = [r.get('topics_attr') == 'YES' or bool(r['topics']) for r in rows]
when = np.array([datetime.datetime.fromisoformat(r['date'].replace('Z', '')).timestamp() for r in rows])
hits = listed = hits_judged = listed_judged = 0
for i in range(n):
    if not topics[i]: continue
    row = sim.getrow(i)
    idx, score = row.indices, row.data
    copy = score >= 0.9
    if lsa is not None:
        # every story is a candidate: tf-idf cosine where they share words, 0 elsewhere
        dense = np.zeros(n); dense[idx] = score
        is_copy = np.zeros(n, dtype=bool); is_copy[idx[copy]] = True
        idx, copy = np.arange(n), is_copy
        score = args.alpha * dense + (1 - args.alpha) * (lsa @ lsa[i])
    # not itself, not a copy (tf-idf cosine >= 0.9), within the time window
    keep = (idx != i) & ~copy & (np.abs(when[idx] - when[i]) < args.days * 86400)
    if args.past_only: keep &= idx < i
    for j in idx[keep][np.argsort(-score[keep])[:5]]:
        hit = bool(topics[i] & topics[j])
        listed += 1; hits += hit
        if judged[j]: listed_judged += 1; hits_judged += hit
lsa_note = f', LSA {args.lsa} dims (alpha {args.alpha}, fitted on {args.fit_share:.0%})' if args.lsa else ''
print(f'stories {n}; {args.chars} chars, {args.terms} words, {args.days} days, {"earlier only" if args.past_only else "earlier and later"}{lsa_note}')
print(f'precision@5 {hits / listed:.3f} ({listed} links); over judged links {hits_judged / listed_judged:.3f} ({listed_judged} links)')
