#!/usr/bin/python3
"""Rewrites a CoNLL-U file whose raw text puts a space around every punctuation token (Vietnamese VTB:
"Hà Nội , mỗi tổ .") as running text writes it ("Hà Nội, mỗi tổ."): no space before closing punctuation
(, . ; : ! ? ... ) ] } and closing quotes) nor after opening punctuation (( [ { and opening quotes); a straight
double quote opens and closes in turn within a sentence. Sets SpaceAfter=No on those tokens and rewrites
`# text`, so segmenters and sentence splitters learn the spacing users' text has.

  tools/ud/attach_punctuation.py < in.conllu > out.conllu      (plain CoNLL-U on stdin and stdout)
"""
import sys

CLOSING = set(",.;:!?)]}…%”»’") | {"...", "..", "!!", "?!", "!?"}
OPENING = set("([{“«‘")


def rewrite(block):
    rows = [l.split("\t") for l in block if l and not l.startswith("#")]
    comments = [l for l in block if l.startswith("#")]
    tokens = []  # Surface tokens: (row index, form); multiword ranges stand for their words.
    covered = 0
    for i, cols in enumerate(rows):
        if len(cols) != 10 or "." in cols[0]:
            continue
        if "-" in cols[0]:
            covered = int(cols[0].split("-")[1])
            tokens.append(i)
        elif int(cols[0]) > covered:
            tokens.append(i)
    if not tokens:
        return block
    quote_open = False
    glue_after = [False] * len(tokens)
    for k, i in enumerate(tokens):
        form = rows[i][1]
        if form == '"':
            if quote_open and k > 0:
                glue_after[k - 1] = True   # A closing quote sticks to the word before.
            else:
                glue_after[k] = True       # An opening quote sticks to the word after.
            quote_open = not quote_open
        elif form in CLOSING and k > 0:
            glue_after[k - 1] = True
        elif form in OPENING:
            glue_after[k] = True
    text = ""
    for k, i in enumerate(tokens):
        text += rows[i][1]
        misc = [m for m in rows[i][9].split("|") if m and m != "_" and not m.startswith("SpaceAfter=")]
        last = k + 1 == len(tokens)
        if glue_after[k] and not last:
            misc.append("SpaceAfter=No")
        elif not last:
            text += " "
        rows[i][9] = "|".join(sorted(misc)) or "_"
    out = [c for c in comments if not c.startswith("# text =")]
    out.append("# text = " + text)
    out += ["\t".join(cols) for cols in rows]
    return out


def main():
    block = []
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line:
            block.append(line)
            continue
        if block:
            print("\n".join(rewrite(block)) + "\n")
        block = []
    if block:
        print("\n".join(rewrite(block)) + "\n")


if __name__ == "__main__":
    main()
