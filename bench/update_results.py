#!/usr/bin/env python3
"""Puts a section into bench/RESULTS.md: replaces the text between its <!-- NAME:begin --> and
<!-- NAME:end --> markers, or appends it when they are not there yet. Each benchmark script writes its own
section this way and leaves the others alone.

  python3 bench/update_results.py RESULTS.md SECTION_FILE NAME
"""
import os
import sys


def main():
    results_path, section_path, name = sys.argv[1:4]
    section = open(section_path, encoding="utf-8").read()
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    if begin not in section or end not in section:
        sys.exit(f"update_results: {section_path} lacks the {name} markers")
    if not section.endswith("\n"):
        section += "\n"
    results = ""
    if os.path.exists(results_path):
        results = open(results_path, encoding="utf-8").read()
    else:
        results = "# Benchmark results\n\nEach section is written by the script it names; rerun that script to refresh it.\n"
    if begin in results:
        a = results.index(begin)
        b = results.index(end, a) + len(end)
        if results[b:b + 1] == "\n":
            b += 1
        results = results[:a] + section + results[b:]
    else:
        results = results.rstrip("\n") + "\n\n" + section
    open(results_path, "w", encoding="utf-8").write(results)


if __name__ == "__main__":
    main()
