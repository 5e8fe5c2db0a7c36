#!/usr/bin/env python3
"""Splits UD English-EWT by genre for leave-one-genre-out tests. The genre is what each `# sent_id` starts with
(answers, email, newsgroup, reviews, weblog). For each genre G it writes, into OUT:
  minus-G-train.conllu  the train split without G      minus-G-dev.conllu  the dev split without G
  only-G.conllu         every sentence of G, from train, dev and test (none of it is trained on when G is held out)

  python3 split_by_genre.py OUT train.conllu.zst dev.conllu.zst test.conllu.zst
"""
import os
import subprocess
import sys


def sentences(path):
    text = subprocess.run(["zstd", "-dcq", path], check=True, capture_output=True).stdout.decode("utf-8")
    for block in text.split("\n\n"):
        if block.strip():
            genre = next((line.split("=", 1)[1].strip().split("-", 1)[0] for line in block.split("\n")
                          if line.startswith("# sent_id")), None)
            if genre is None:
                sys.exit(f"split_by_genre: a sentence of {path} has no sent_id")
            yield genre, block.strip("\n") + "\n\n"


def main():
    out, train, dev, test = sys.argv[1:5]
    os.makedirs(out, exist_ok=True)
    splits = {"train": list(sentences(train)), "dev": list(sentences(dev)), "test": list(sentences(test))}
    genres = sorted({g for s in splits.values() for g, _ in s})
    for g in genres:
        for split in ("train", "dev"):
            with open(os.path.join(out, f"minus-{g}-{split}.conllu"), "w", encoding="utf-8") as f:
                f.writelines(b for h, b in splits[split] if h != g)
        with open(os.path.join(out, f"only-{g}.conllu"), "w", encoding="utf-8") as f:
            f.writelines(b for s in splits.values() for h, b in s if h == g)
    print(" ".join(genres))


if __name__ == "__main__":
    main()
