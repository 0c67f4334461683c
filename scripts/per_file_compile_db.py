#!/usr/bin/env python3
"""Writes a compile database with one entry per source file for clang-tidy.

A build in unity batches (LLMRT_UNITY_BUILD, what scripts/setup.sh makes of a new build folder)
lists only the batch files (Unity/unity_N_cxx.cxx) in compile_commands.json, which clang-tidy's
file filter would never match: every .cpp would go unchecked without a word. Each batch is
compiled with its target's flags, so each source it includes gets the batch's command with the
source in its place.

    scripts/per_file_compile_db.py BUILD_DIR OUT_DIR   # writes OUT_DIR/compile_commands.json
"""

import json
import pathlib
import re
import sys

INCLUDE = re.compile(r'^#include "(.+)"$', re.MULTILINE)


def expand(entry):
    batch = entry["file"]
    if "/Unity/unity_" not in batch:
        return [entry]
    sources = INCLUDE.findall(pathlib.Path(batch).read_text())
    if not sources:
        sys.exit(f"per_file_compile_db: {batch} includes no source file")
    return [
        {
            "directory": entry["directory"],
            "command": entry["command"].replace(batch, source),
            "file": source,
        }
        for source in sources
    ]


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: per_file_compile_db.py BUILD_DIR OUT_DIR")
    build, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    entries = json.loads((build / "compile_commands.json").read_text())
    expanded = [e for entry in entries for e in expand(entry)]
    out.mkdir(parents=True, exist_ok=True)
    (out / "compile_commands.json").write_text(json.dumps(expanded, indent=1))
    print(f"{len(expanded)} files from {len(entries)} compile commands")


if __name__ == "__main__":
    main()
