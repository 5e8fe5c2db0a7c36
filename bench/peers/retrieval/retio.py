"""Shared I/O for the retrieval peers: JSONL (.zst too), the qa/ and BEIR layouts, DrQA's tokenizer."""
import json, subprocess, unicodedata
import regex

def read_jsonl(path):
    if path.endswith('.zst'):
        # zstd CLI rather than a Python binding: Debian's python3-zstandard is not assumed installed.
        data = subprocess.run(['zstd', '-dc', path], check=True, capture_output=True).stdout.decode('utf-8')
    else:
        with open(path, encoding='utf-8') as f:
            data = f.read()
    return [json.loads(l) for l in data.splitlines() if l.strip()]

def read_corpus(paths):
    """[(id, title, text)] over several corpus files; qa/ uses "id", BEIR "_id"."""
    out = []
    for p in paths:
        for d in read_jsonl(p):
            out.append((d.get('id', d.get('_id')), d.get('title') or '', d['text']))
    return out

def doc_text(title, text):
    # Same convention as shared/data/qa/make_bm25_reference.py: title prepended for every set.
    return (title + ' ' + text).strip()

def read_queries(path):
    """[(id, text)] from questions.jsonl ("id","question") or BEIR queries.jsonl ("_id","text")."""
    return [(q['id'], q['question']) if 'question' in q else (q['_id'], q['text']) for q in read_jsonl(path)]

# DrQA's SimpleTokenizer (drqa/tokenizers/simple_tokenizer.py): alnum runs or single non-space chars.
_SIMPLE = regex.compile(r'([\p{L}\p{N}\p{M}]+)|([^\p{Z}\p{C}])',
                        flags=regex.IGNORECASE | regex.UNICODE | regex.MULTILINE)

def normalize(text):
    # DrQA's retriever.utils.normalize: NFD before tokenising (accents become separate combining marks,
    # which \p{M} keeps inside the token).
    return unicodedata.normalize('NFD', text)

def simple_words(text):
    """Lower-cased SimpleTokenizer tokens of NFD-normalised text."""
    return [m.group().lower() for m in _SIMPLE.finditer(normalize(text))]
