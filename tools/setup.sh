#!/usr/bin/env bash
# Installs every build and test dependency of slimnlp from Debian packages. Safe to run again: it only calls
# apt-get when a package is missing. Peers used by the benchmarks (fastText, CLD2, ...) are installed by
# bench/ scripts, not here, so a plain build stays small.
set -euo pipefail
packages=(build-essential cmake pkg-config zstd libicu-dev libabsl-dev libeigen3-dev libzstd-dev catch2
          libcli11-dev libcpp-httplib-dev nlohmann-json3-dev libstemmer-dev
          # The Python package (python/, docs/python.md) and its tests; Dask distributed for slimnlp.dask;
          # pip, setuptools and wheel for `pip install --no-build-isolation .` from the checkout.
          python3-dev pybind11-dev python3-pytest python3-distributed python3-pandas python3-pip
          python3-setuptools python3-wheel python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
