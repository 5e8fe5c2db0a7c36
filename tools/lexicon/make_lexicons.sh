#!/usr/bin/env bash
# Builds build/lexicons/lex-<lang>.tsv (word form -> UPOS ambiguity class) from Debian packages:
#   tools/lexicon/make_lexicons.sh            every language with a source (see tools/lexicon/README.md)
#   tools/lexicon/make_lexicons.sh en fr ja   just these
# Installs the packages it needs (apt-get update first if apt cannot find them), then runs
# build_lexicons.py and prints the UD coverage table (coverage.py). Output is generated, never committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${LEXICON_OUT:-$repo/build/lexicons}"
py=/usr/bin/python3  # Debian's Python: the scripts use the standard library only
[ -x "$py" ] || py=python3

mapfile -t -d ' ' pkgs < <("$py" "$here/build_lexicons.py" --packages "$@" | tr -d '\n')
missing=()
for p in "${pkgs[@]}"; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "make_lexicons: installing ${missing[*]}" >&2
  if ! DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
       "${missing[@]}" >/dev/null; then
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
fi

mkdir -p "$out"
"$py" "$here/build_lexicons.py" --out "$out" "$@"
"$py" "$here/coverage.py" --lexicons "$out" "$@"
