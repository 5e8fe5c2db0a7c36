#!/usr/bin/env bash
# fasttext_predict.sh -- peer baseline: label texts with a fastText language-ID model.
#
# Usage (from the project root):  bash bench/peers/fasttext_predict.sh MODEL < texts > labels
#   MODEL: a .bin or .ftz made by bench/peers/fasttext_train.sh (e.g. /tmp/peers/fasttext/lid-524288.ftz)
# Reads one text per line on stdin and prints one label per line, without the `__label__` prefix
# (`fasttext predict MODEL -`, top-1). An empty answer line, should fastText give one, becomes `und`
# (an empty input line still gets a label: fastText scores its end-of-line token).
set -euo pipefail
model="${1:-}"
if [[ -z "$model" || ! -f "$model" ]]; then
  echo "usage: fasttext_predict.sh MODEL < texts > labels  (model file '${model}' not found)" >&2
  exit 2
fi
command -v fasttext >/dev/null || { echo "fasttext_predict.sh: 'fasttext' not found (apt-get install fasttext)" >&2; exit 1; }
fasttext predict "$model" - 1 | awk '{ sub(/^__label__/, "", $1); print ($1 == "" ? "und" : $1) }'
