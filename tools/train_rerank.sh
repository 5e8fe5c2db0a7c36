#!/usr/bin/env bash
# Trains the shipped retrieval reranker, models/rerank.slim, on the shared QA *training* sets (article-disjoint
# from the evaluation sets): SQuAD dev-train and NQ-QED train, each indexed with the wiki-distractors-gap
# paragraphs. Deterministic for a build. About 2 minutes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
qa=../shared/data/qa
[ -d "$qa" ] || { echo "train_rerank: $qa is missing" >&2; exit 1; }
tools/build.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=()
for set in squad11-dev-train nq-qed-train; do
  build/slimnlp index --input "$qa/$set/corpus.jsonl" "$qa/wiki-distractors-gap/corpus.jsonl" \
    --out "$work/$set.index" > /dev/null
  args+=(--index "$work/$set.index" --questions "$qa/$set/questions.jsonl")
done
build/slimnlp train rerank "${args[@]}" --out models/rerank.slim --seed 1 2> build/train-rerank.log
