#!/usr/bin/python3
"""Score a passage-retrieval run.

Run file: TSV `question_id<TAB>rank<TAB>doc_id<TAB>score`, rank from 1 (score is not used; rank order is).

  qa/ sets:  ret_score.py RUN --questions Q.jsonl --corpus C.jsonl [--corpus EXTRA.jsonl] [--json]
  BEIR sets: ret_score.py RUN --qrels qrels/test.tsv [--json]

Metrics (over every question of the questions/qrels file; a question missing from the run scores 0):
  R@k      gold paragraph (qa/) or any relevant doc (BEIR: hit rate, not BEIR's fraction-of-relevant) in top k
  AR@k     answer-string recall, DrQA/DPR `has_answer` style: some top-k paragraph contains some answer
           as a token sequence (NFD, SimpleTokenizer, lower-cased); needs --corpus
  MRR      1/rank of the first gold/relevant doc within the run's depth (0 if absent)
  nDCG@10  BEIR only; gains = qrels score (binary here); like pytrec_eval's ndcg_cut_10
In BEIR mode a result whose doc id equals the query id is dropped first, as BEIR's evaluate() does.
"""
import argparse, json, math, os, sys
from collections import defaultdict
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import retio

KS = (1, 5, 20)

def read_run(path):
    run = defaultdict(list)
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.strip():
                q, r, d, _ = line.rstrip('\n').split('\t')
                run[q].append((int(r), d))
    return {q: [d for _, d in sorted(v)] for q, v in run.items()}

def read_qrels(path):
    rel = defaultdict(dict)
    with open(path, encoding='utf-8') as f:
        next(f)  # header
        for line in f:
            if line.strip():
                q, d, s = line.rstrip('\n').split('\t')
                rel[q][d] = int(s)
    return rel

class AnswerChecker:
    """DrQA scripts/retriever/eval.py has_answer(match='string'): token-sequence containment after NFD +
    tokenising + lower-casing. DrQA's eval defaults to its RegexpTokenizer; we use SimpleTokenizer, as DPR's
    has_answer does. No article/punctuation stripping (that is SQuAD's EM normalisation, not has_answer's)."""
    def __init__(self, corpus):
        self.text = {i: text for i, _, text in corpus}   # paragraph text only, not the prepended title
        self.cache = {}
    def words(self, doc_id):
        if doc_id not in self.cache:
            self.cache[doc_id] = retio.simple_words(self.text.get(doc_id, ''))
        return self.cache[doc_id]
    def has_answer(self, answers, doc_id):
        """answers: already tokenised (retio.simple_words)."""
        text = self.words(doc_id)
        for a in answers:
            n = len(a)
            if not n:
                continue
            for i in range(len(text) - n + 1):
                if text[i:i + n] == a:
                    return True
        return False

def ndcg10(ranked, rel):
    dcg = sum(rel.get(d, 0) / math.log2(r + 2) for r, d in enumerate(ranked[:10]))
    ideal = sorted(rel.values(), reverse=True)[:10]
    idcg = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0

def score(run, items, checker=None, beir=False):
    """items: [(qid, {doc: gain}, answers)]"""
    tot = defaultdict(float)
    for qid, rel, answers in items:
        ranked = run.get(qid, [])
        if beir:
            ranked = [d for d in ranked if d != qid]
        first = next((r for r, d in enumerate(ranked) if rel.get(d, 0) > 0), None)
        for k in KS:
            tot['R@%d' % k] += first is not None and first < k
        tot['MRR'] += 0.0 if first is None else 1.0 / (first + 1)
        if beir:
            tot['nDCG@10'] += ndcg10(ranked, rel)
        if checker is not None:
            answers = [retio.simple_words(a) for a in answers]
            hit = next((r for r, d in enumerate(ranked) if checker.has_answer(answers, d)), None)
            for k in KS:
                tot['AR@%d' % k] += hit is not None and hit < k
    n = len(items)
    out = {'queries': n, 'depth': max((len(v) for v in run.values()), default=0)}
    out.update({k: round(v / n, 4) for k, v in tot.items()})
    return out

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('run')
    ap.add_argument('--questions', help='qa/ questions.jsonl')
    ap.add_argument('--qrels', help='BEIR qrels TSV (with header)')
    ap.add_argument('--corpus', action='append', default=[], help='corpus JSONL(.zst), for answer recall; repeatable')
    ap.add_argument('--json', action='store_true', help='one JSON line instead of the text report')
    a = ap.parse_args()
    if bool(a.questions) == bool(a.qrels):
        ap.error('give exactly one of --questions / --qrels')
    run = read_run(a.run)
    checker = AnswerChecker(retio.read_corpus(a.corpus)) if a.corpus and a.questions else None
    if a.questions:
        items = [(q['id'], {g: 1 for g in q['gold']}, q.get('answers') or [])
                 for q in retio.read_jsonl(a.questions)]
        if checker is not None and not any(ans for _, _, ans in items):
            checker = None  # e.g. synthetic questions: no answers to look for
    else:
        items = [(q, rel, []) for q, rel in read_qrels(a.qrels).items()]
    res = score(run, items, checker, beir=bool(a.qrels))
    if a.json:
        print(json.dumps(res))
    else:
        print('  '.join('%s=%s' % (k, v) for k, v in res.items()))

if __name__ == '__main__':
    main()
