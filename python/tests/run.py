"""Runs the pytest suites of the Python binding for ctest: `run.py core` (everything but Dask) or `run.py dask`.
Exit 77 (ctest: skipped) when pytest is not installed; "no tests collected" (pytest's exit 5) is a failure."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    suite = sys.argv[1] if len(sys.argv) > 1 else "core"
    try:
        import pytest
    except ImportError:
        print("skipped: pytest is not installed (Debian python3-pytest; tools/setup.sh installs it)")
        return 77
    files = sorted(f for f in os.listdir(HERE) if f.startswith("test_") and f.endswith(".py"))
    files = [os.path.join(HERE, f) for f in files if (f == "test_dask.py") == (suite == "dask")]
    code = pytest.main(["-q", "-p", "no:cacheprovider", "-rs", *files, *sys.argv[2:]])
    if code == 5:
        print("run.py: no tests collected: that is a failure here")
        return 1
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
