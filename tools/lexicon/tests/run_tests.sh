#!/usr/bin/env bash
# Runs the lexicon tool tests with a Python that has pytest (Debian's python3-pytest, installed by
# tools/setup.sh). Exit 77 (ctest: skipped) when no such Python is found, so a bare machine says why.
export PYTHONDONTWRITEBYTECODE=1  # keep the source tree clean
here="$(cd "$(dirname "$0")" && pwd)"
for py in python3 /usr/bin/python3; do
  if "$py" -c 'import pytest' 2>/dev/null; then
    exec "$py" -m pytest -q -p no:cacheprovider "$here"
  fi
done
echo "SKIP: no python3 with pytest (apt-get install python3-pytest)" >&2
exit 77
