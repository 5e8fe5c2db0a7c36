#!/usr/bin/python3
"""Synthetic passage corpus (and queries) for retrieval scaling / latency tests.

  gen_synthetic_corpus.py N OUT.jsonl [--seed S] [--questions M QOUT.jsonl]

Writes N lines {"id","title","text"} (the qa/ corpus format) and, with --questions, M lines
{"id","question","answers":[],"gold":[doc id]} (the qa/ questions format) sampled from the same docs in the
same pass. The corpus depends only on the seed, and a smaller N gives a prefix of a larger one (nested
scaling sets); the questions do not perturb it (separate RNG), so `gen_synthetic_corpus.py N /dev/null --questions M Q.jsonl` re-derives queries for an existing corpus.
Streams in chunks: memory does not grow with N.

Model (rough, aimed at Wikipedia-paragraph-like term statistics, not at meaning):
  vocabulary  200k pronounceable pseudo-words, lengths ~ English dictionary word lengths; shorter words get
              the frequent ranks (Zipf's law of abbreviation), so running text has English-like token lengths;
              the 100 most frequent ranks are English function words (the, of, and, ...: all in NLTK's stopword
              list, which DrQA's retriever and slimnlp's leave out), about 40% of the tokens, as in English
  tokens      Zipf-Mandelbrot over ranks, p(r) ~ (r + 2.7)^-1.1
  documents   length ~ lognormal, median 95 words (mean ~105); each doc has 4 topic words (from ranks
              >= 300) that recur (bursty terms) and make up its title
  bigrams     with p=0.7 a word is replaced by one of 3 fixed "successors" of the word before it, and
  phrases     a fixed table of 20k 2-4 word phrases (Zipf popularity) is pasted into the text, so frequent
              bigrams recur across documents instead of every bigram being unique
  surface     sentences (~22 words) capitalised and ended with '.', occasional commas
Queries: 2-5 consecutive non-function words (rank >= 100) of a random document; answers are empty.
Requires numpy (python3-numpy). Output is ASCII letters and punctuation only (no JSON escaping needed).
"""
import argparse, random, sys, time
import numpy as np

V = 200_000
ZIPF_S, ZIPF_Q = 1.1, 2.7
LEN_MEDIAN, LEN_SIGMA, LEN_MIN, LEN_MAX = 95, 0.45, 12, 600
N_TOPICS, P_TOPIC, TOPIC_MIN_RANK = 4, 0.07, 300
N_PHRASES, P_PHRASE = 20_000, 0.06
N_SUCC, P_SUCC = 3, 0.7
P_SENT_END, P_COMMA = 1 / 22, 1 / 15
FUNCTION_RANKS = 100
# English function words, most frequent first (each one in NLTK's English stopword list).
FUNCTION_WORDS = """the of and to a in is that for it was on as with be by he at this are from his or not have an had
they but which were you she her all their there been has i we who will more no if so can what when its him my
about me them these those then than into some only other such do does did doing our up out very just should now
over after before under again most both each few any why how where here through during while because until
against between above below off""".split()
assert len(FUNCTION_WORDS) == FUNCTION_RANKS
CHUNK = 4096

# Share of English dictionary words by length 1..20 (approximate; peaks at 7-8 letters).
TYPE_LEN = [0.0005, 0.005, 0.025, 0.055, 0.09, 0.12, 0.135, 0.135, 0.12, 0.10,
            0.075, 0.05, 0.035, 0.022, 0.013, 0.008, 0.004, 0.002, 0.001, 0.0005]
ONSETS = ('b c d f g h j k l m n p r s t v w z bl br ch cl cr dr fl fr gl gr pl pr sc sh sk sl sp st str th tr '
          'wh').split()
VOWELS = 'a e i o u a e i o ea ai ou io ie y'.split()
CODAS = 'n r s t l m nd st rt ng ck x'.split()

def make_vocab(rnd):
    """V distinct pseudo-words ordered by frequency rank (shortish first, with noise)."""
    lengths = rnd.choices(range(1, len(TYPE_LEN) + 1), weights=TYPE_LEN, k=V)
    seen, words = set(), []
    for n in lengths:
        for attempt in range(1000):
            w = rnd.choice(VOWELS) if rnd.random() < 0.15 else ''   # some words start with a vowel
            while len(w) < n:
                w += rnd.choice(ONSETS) + rnd.choice(VOWELS) + (rnd.choice(CODAS) if rnd.random() < 0.3 else '')
            w = w[:n]
            if w not in seen:
                break
            if attempt % 20 == 19:
                n += 1   # short lengths run out of distinct forms (only 26 one-letter words)
        seen.add(w)
        words.append(w)
    words.sort(key=lambda w: len(w) + rnd.gauss(0, 3.0))
    # The frequent ranks are real function words; a pseudo-word spelled like one gives up its place.
    rest = [w for w in words if w not in set(FUNCTION_WORDS)]
    return FUNCTION_WORDS + rest[:V - FUNCTION_RANKS]

class Generator:
    def __init__(self, seed):
        rnd = random.Random(seed)
        words = make_vocab(rnd)
        self.rng = np.random.Generator(np.random.PCG64(seed))
        w = (np.arange(1, V + 1) + ZIPF_Q) ** -ZIPF_S
        self.cdf = np.cumsum(w / w.sum())
        self.cdf[-1] = 1.0
        # token table: id + V*punct(0 none, 1 ',', 2 '.') + 3V*capitalised -> surface string
        caps = [x.capitalize() for x in words]
        self.table = np.array(words + [x + ',' for x in words] + [x + '.' for x in words] +
                              caps + [x + ',' for x in caps] + [x + '.' for x in caps], dtype=object)
        self.words = np.array(words, dtype=object)
        self.caps = np.array(caps, dtype=object)
        self.succ = self.zipf(V * N_SUCC).reshape(V, N_SUCC).astype(np.int32)
        self.phrase_len = self.rng.integers(2, 5, N_PHRASES)
        self.phrases = self.zipf(N_PHRASES * 4).reshape(N_PHRASES, 4)
        pw = np.arange(1, N_PHRASES + 1, dtype=np.float64) ** -1.0
        self.phrase_cdf = np.cumsum(pw / pw.sum())
        self.phrase_cdf[-1] = 1.0

    def zipf(self, n, min_rank=0):
        lo = self.cdf[min_rank - 1] if min_rank else 0.0
        return np.searchsorted(self.cdf, self.rng.uniform(lo, 1.0, n), side='right')

    def chunk(self, n):
        """n docs -> titles, texts, flat token ids (rank - 1) and per-doc offsets into them."""
        rng = self.rng
        lens = np.clip(np.rint(rng.lognormal(np.log(LEN_MEDIAN), LEN_SIGMA, n)), LEN_MIN, LEN_MAX).astype(np.int64)
        off = np.concatenate(([0], np.cumsum(lens)))
        total = int(off[-1])
        doc = np.repeat(np.arange(n), lens)
        ids = self.zipf(total)
        # word-to-word preference (one pass, from the independent draws): recurring bigrams like "of the"
        m = np.flatnonzero(rng.random(total - 1) < P_SUCC) + 1
        ids[m] = self.succ[ids[m - 1], rng.integers(0, N_SUCC, len(m))]
        topics = self.zipf(n * N_TOPICS, TOPIC_MIN_RANK).reshape(n, N_TOPICS)
        m = rng.random(total) < P_TOPIC
        ids[m] = topics[doc[m], rng.integers(0, N_TOPICS, int(m.sum()))]
        starts = np.flatnonzero(rng.random(total) < P_PHRASE)
        ph = np.searchsorted(self.phrase_cdf, rng.random(len(starts)), side='right')
        end = off[doc[starts] + 1]
        for j in range(4):   # paste phrases, clipped at the document end
            pos = starts + j
            ok = (j < self.phrase_len[ph]) & (pos < end)
            ids[pos[ok]] = self.phrases[ph[ok], j]
        punct = np.where(rng.random(total) < P_SENT_END, 2, np.where(rng.random(total) < P_COMMA, 1, 0))
        punct[off[1:] - 1] = 2
        cap = np.empty(total, dtype=np.int64)
        cap[0] = 1
        cap[1:] = punct[:-1] == 2   # also capitalises every doc start: the previous doc ended with '.'
        toks = self.table[ids + V * punct + 3 * V * cap].tolist()
        texts = [' '.join(toks[off[i]:off[i + 1]]) for i in range(n)]
        nt = rng.integers(1, 4, n)
        titles = [' '.join(self.caps[topics[i, :nt[i]]]) for i in range(n)]
        return titles, texts, ids, off

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('n', type=int)
    ap.add_argument('out')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--questions', nargs=2, metavar=('M', 'QOUT'))
    a = ap.parse_args()
    t0 = time.time()
    g = Generator(a.seed)
    qsel, qout = np.array([], dtype=np.int64), None
    if a.questions:
        m = int(a.questions[0])
        qrng = np.random.Generator(np.random.PCG64([a.seed, 1]))
        qsel = np.sort(qrng.choice(a.n, size=min(m, a.n), replace=False))
        qout = open(a.questions[1], 'w', encoding='ascii')
    width = max(7, len(str(a.n - 1)))
    qi = 0
    with open(a.out, 'w', encoding='ascii') as out:
        for base in range(0, a.n, CHUNK):
            n = min(CHUNK, a.n - base)
            titles, texts, ids, off = g.chunk(CHUNK)   # always a full chunk: keeps the prefix property
            out.write(''.join('{"id": "syn%0*d", "title": "%s", "text": "%s"}\n' % (width, base + i, titles[i], texts[i])
                              for i in range(n)))
            while qi < len(qsel) and qsel[qi] < base + n:
                i = int(qsel[qi] - base)
                d = ids[off[i]:off[i + 1]]
                content = d[d >= FUNCTION_RANKS]
                k = int(qrng.integers(2, 6))
                s = int(qrng.integers(0, max(1, len(content) - k + 1)))
                q = ' '.join(g.words[content[s:s + k]])
                qout.write('{"id": "synq%06d", "question": "%s", "answers": [], "gold": ["syn%0*d"]}\n'
                           % (qi, q, width, base + i))
                qi += 1
    if qout:
        qout.close()
    dt = time.time() - t0
    print('gen_synthetic_corpus: %d docs%s in %.1f s (%.0f docs/s)' % (
        a.n, ', %d questions' % qi if qout else '', dt, a.n / dt), file=sys.stderr)

if __name__ == '__main__':
    main()
