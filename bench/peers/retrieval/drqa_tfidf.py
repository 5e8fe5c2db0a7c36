#!/usr/bin/python3
"""DrQA-style TF-IDF retrieval peer (a reimplementation of DrQA's TfidfDocRanker + build_tfidf.py).

  drqa_tfidf.py --corpus C.jsonl[.zst] [--corpus EXTRA.jsonl] --queries Q.jsonl --out RUN.tsv [--k 20]
  drqa_tfidf.py --selftest        (murmurhash3 test vectors)

As in facebookresearch/DrQA (drqa/retriever/{tfidf_doc_ranker,utils}.py, scripts/retriever/build_tfidf.py):
  text NFD-normalised, tokenised, lower-cased; unigrams + bigrams, dropping any n-gram with a stopword
  or all-punctuation token (utils.filter_ngram, mode 'any', DrQA's stopword list); n-grams hashed with
  unsigned murmurhash3_32 (seed 0, UTF-8) mod 2**24; count matrix (hash x doc), tf = log1p(count),
  idf = log((N - Nt + 0.5) / (Nt + 0.5)) clipped at 0; query = the same tf-idf vector; score = sparse dot.
Deviations: tokenizer is DrQA's SimpleTokenizer (regex), not CoreNLP; documents = title + " " + text
(the qa/ convention), not DrQA's Wikipedia articles; top-k ties are ordered by corpus order.
Writes the run TSV (qid, rank, doc id, score) and a `TIMING {json}` line on stderr.
"""
import argparse, json, os, sys, time
from collections import Counter
import numpy as np
import regex
import scipy.sparse as sp
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import retio

# drqa/retriever/utils.py STOPWORDS, verbatim list.
STOPWORDS = {
    'i', 'me', 'my', 'myself', 'we', 'our', 'ours', 'ourselves', 'you', 'your',
    'yours', 'yourself', 'yourselves', 'he', 'him', 'his', 'himself', 'she',
    'her', 'hers', 'herself', 'it', 'its', 'itself', 'they', 'them', 'their',
    'theirs', 'themselves', 'what', 'which', 'who', 'whom', 'this', 'that',
    'these', 'those', 'am', 'is', 'are', 'was', 'were', 'be', 'been', 'being',
    'have', 'has', 'had', 'having', 'do', 'does', 'did', 'doing', 'a', 'an',
    'the', 'and', 'but', 'if', 'or', 'because', 'as', 'until', 'while', 'of',
    'at', 'by', 'for', 'with', 'about', 'against', 'between', 'into', 'through',
    'during', 'before', 'after', 'above', 'below', 'to', 'from', 'up', 'down',
    'in', 'out', 'on', 'off', 'over', 'under', 'again', 'further', 'then',
    'once', 'here', 'there', 'when', 'where', 'why', 'how', 'all', 'any',
    'both', 'each', 'few', 'more', 'most', 'other', 'some', 'such', 'no', 'nor',
    'not', 'only', 'own', 'same', 'so', 'than', 'too', 'very', 's', 't', 'can',
    'will', 'just', 'don', 'should', 'now', 'd', 'll', 'm', 'o', 're', 've',
    'y', 'ain', 'aren', 'couldn', 'didn', 'doesn', 'hadn', 'hasn', 'haven',
    'isn', 'ma', 'mightn', 'mustn', 'needn', 'shan', 'shouldn', 'wasn', 'weren',
    'won', 'wouldn', "'ll", "'re", "'ve", "n't", "'s", "'d", "'m", "''", "``"
}
HASH_SIZE = 2 ** 24
_PUNCT = regex.compile(r'^\p{P}+$')
_M = 0xffffffff

def murmurhash3_32(data, seed=0):
    """Unsigned MurmurHash3 x86_32, as sklearn.utils.murmurhash3_32(key, seed, positive=True).
    Pure Python because Debian has no python3-mmh3 and sklearn is a heavy dependency for one function."""
    if isinstance(data, str):
        data = data.encode('utf-8')
    c1, c2 = 0xcc9e2d51, 0x1b873593
    h, n = seed & _M, len(data)
    nb = n - n % 4
    for i in range(0, nb, 4):
        k = (int.from_bytes(data[i:i + 4], 'little') * c1) & _M
        k = (((k << 15) | (k >> 17)) & _M) * c2 & _M
        h ^= k
        h = ((((h << 13) | (h >> 19)) & _M) * 5 + 0xe6546b64) & _M
    k = 0
    tail = n - nb
    if tail == 3:
        k ^= data[nb + 2] << 16
    if tail >= 2:
        k ^= data[nb + 1] << 8
    if tail >= 1:
        k ^= data[nb]
        k = (k * c1) & _M
        k = (((k << 15) | (k >> 17)) & _M) * c2 & _M
        h ^= k
    h ^= n
    h ^= h >> 16
    h = (h * 0x85ebca6b) & _M
    h ^= h >> 13
    h = (h * 0xc2b2ae35) & _M
    return h ^ (h >> 16)

def selftest():
    # sklearn's test_murmurhash3 (positive=True) and SMHasher's published x86_32 vectors.
    vectors = [(b'foo', 0, 4138058784), (b'foo', 42, 2972666014), ('foo', 42, 2972666014),
               (b'', 0, 0), (b'', 1, 0x514E28B7), (b'\xff\xff\xff\xff', 0, 0x76293B50),
               (b'The quick brown fox jumps over the lazy dog', 0, 0x2E4FF723)]
    for data, seed, want in vectors:
        got = murmurhash3_32(data, seed)
        assert got == want, (data, seed, got, want)
    print('murmurhash3_32: %d vectors ok' % len(vectors))

class Ngrammer:
    """Tokens -> hashed, filtered unigrams+bigrams. Memoised: pure-Python hashing dominates otherwise."""
    def __init__(self, hash_size):
        self.hash_size = hash_size
        self.skip_cache, self.hash_cache = {}, {}
    def skip(self, w):  # utils.filter_word (w is already NFD + lower-case)
        s = self.skip_cache.get(w)
        if s is None:
            s = self.skip_cache[w] = bool(_PUNCT.match(w)) or w in STOPWORDS
        return s
    def bucket(self, g):
        b = self.hash_cache.get(g)
        if b is None:
            b = self.hash_cache[g] = murmurhash3_32(g) % self.hash_size
        return b
    def __call__(self, text):
        words = retio.simple_words(text)
        skip = [self.skip(w) for w in words]
        out = [self.bucket(w) for w, s in zip(words, skip) if not s]
        out += [self.bucket(words[i] + ' ' + words[i + 1])
                for i in range(len(words) - 1) if not (skip[i] or skip[i + 1])]
        return out

class TfidfRanker:
    def __init__(self, texts, hash_size=HASH_SIZE):
        self.ng = Ngrammer(hash_size)
        rows, cols, data = [], [], []
        for j, t in enumerate(texts):
            c = Counter(self.ng(t))
            rows.extend(c.keys()); cols.extend([j] * len(c)); data.extend(c.values())
        self.num_docs = len(texts)
        cnts = sp.csr_matrix((np.array(data, dtype=np.float64), (np.array(rows, dtype=np.int64), np.array(cols))),
                             shape=(hash_size, self.num_docs))
        cnts.sum_duplicates()
        # get_doc_freqs(): docs per hash bucket; int32 (DrQA: int64) to halve a 2**24 array.
        self.doc_freqs = np.diff(cnts.indptr).astype(np.int32)
        idfs = np.log((self.num_docs - self.doc_freqs + 0.5) / (self.doc_freqs + 0.5))
        idfs[idfs < 0] = 0
        # = sp.diags(idfs).dot(cnts.log1p()) of get_tfidf_matrix(), without a second 2**24-row matrix.
        cnts.data = np.log1p(cnts.data) * np.repeat(idfs, np.diff(cnts.indptr))
        self.doc_mat = cnts

    def text2spvec(self, query):
        wids = self.ng(query)
        if not wids:
            return sp.csr_matrix((1, self.ng.hash_size))
        wids_unique, wids_counts = np.unique(wids, return_counts=True)
        tfs = np.log1p(wids_counts)
        Ns = self.doc_freqs[wids_unique]
        idfs = np.log((self.num_docs - Ns + 0.5) / (Ns + 0.5))
        idfs[idfs < 0] = 0
        return sp.csr_matrix((tfs * idfs, wids_unique, np.array([0, len(wids_unique)])),
                             shape=(1, self.ng.hash_size))

    def closest_docs(self, query, k):
        res = self.text2spvec(query) * self.doc_mat
        if len(res.data) <= k:
            o = np.arange(len(res.data))
        else:
            o = np.argpartition(-res.data, k)[:k]
        o = o[np.lexsort((res.indices[o], -res.data[o]))]   # score desc, then corpus order
        return res.indices[o], res.data[o]

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--corpus', action='append', default=[])
    ap.add_argument('--queries')
    ap.add_argument('--out')
    ap.add_argument('--k', type=int, default=20)
    ap.add_argument('--hash-size', type=int, default=HASH_SIZE)
    ap.add_argument('--selftest', action='store_true')
    a = ap.parse_args()
    if a.selftest:
        return selftest()
    if not (a.corpus and a.queries and a.out):
        ap.error('--corpus, --queries and --out are required')
    corpus = retio.read_corpus(a.corpus)
    queries = retio.read_queries(a.queries)
    ids = [d[0] for d in corpus]
    texts = [retio.doc_text(t, x) for _, t, x in corpus]
    del corpus
    t0, c0 = time.perf_counter(), time.thread_time()
    ranker = TfidfRanker(texts, a.hash_size)
    index_s, index_cpu_s = time.perf_counter() - t0, time.thread_time() - c0
    del texts
    lat, cpu = [], []   # wall and thread-CPU ms: the machine is shared
    with open(a.out, 'w', encoding='utf-8') as out:
        for qid, q in queries:
            t, c = time.perf_counter(), time.thread_time()
            idx, scores = ranker.closest_docs(q, a.k)
            lat.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
            for r, (i, s) in enumerate(zip(idx, scores), 1):
                out.write('%s\t%d\t%s\t%.6f\n' % (qid, r, ids[i], s))
    timing = {'system': 'drqa-tfidf', 'docs': len(ids), 'queries': len(queries), 'index_s': round(index_s, 3),
              'index_cpu_s': round(index_cpu_s, 3), 'p50_ms': round(pct(lat, 50), 3), 'p99_ms': round(pct(lat, 99), 3),
              'cpu_p50_ms': round(pct(cpu, 50), 3), 'cpu_p99_ms': round(pct(cpu, 99), 3)}
    print('drqa-tfidf: %d docs indexed in %.2f s (cpu %.2f s); %d queries, latency p50 %.3f ms, p99 %.3f ms '
          '(cpu p50 %.3f, p99 %.3f; 1 thread)' % (len(ids), index_s, index_cpu_s, len(queries), timing['p50_ms'],
          timing['p99_ms'], timing['cpu_p50_ms'], timing['cpu_p99_ms']), file=sys.stderr)
    print('TIMING ' + json.dumps(timing), file=sys.stderr)

if __name__ == '__main__':
    main()
