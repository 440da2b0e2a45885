#!/usr/bin/python3
"""Writes the dataset tables of docs/output-format.md from the output schema (phases/outputs.def).

Usage: update_output_doc.py [--check] [--fanflow BINARY] [--doc PATH]

Runs `fanflow outputs --markdown`, which prints each table after a line "<!-- outputs: NAME -->", and replaces
the table that follows the same line in the doc. With --check nothing is written: exits 1 (naming the stale
sections) when the doc differs from what the schema generates. Exit 2 for a missing binary, doc or section.
"""
import argparse
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^<!-- outputs: ([a-z-]+) -->$")


def sections(text):
    """Maps each marker's name to the (start, end) line range of the table after it."""
    lines = text.split("\n")
    found = {}
    for number, line in enumerate(lines):
        match = MARKER.match(line)
        if match:
            end = number + 1
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            found[match.group(1)] = (number + 1, end)
    return lines, found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when the doc is stale")
    parser.add_argument("--fanflow", default=str(ROOT / "build" / "fanflow"), help="the fanflow program")
    parser.add_argument("--doc", default=str(ROOT / "docs" / "output-format.md"), help="the document")
    args = parser.parse_args()
    try:
        generated = subprocess.run([args.fanflow, "outputs", "--markdown"], check=True, capture_output=True,
                                   text=True).stdout
        doc = pathlib.Path(args.doc).read_text(encoding="utf-8")
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"update_output_doc: {error}", file=sys.stderr)
        return 2
    new_lines, new_sections = sections(generated.rstrip("\n"))
    lines, doc_sections = sections(doc)
    missing = sorted(set(new_sections) - set(doc_sections))
    if missing:
        print(f"update_output_doc: {args.doc}: no '<!-- outputs: {missing[0]} -->' line for the generated table",
              file=sys.stderr)
        return 2
    stale = []
    # Replace from the last section up, so earlier line numbers stay valid.
    for name, (start, end) in sorted(doc_sections.items(), key=lambda item: -item[1][0]):
        if name not in new_sections:
            continue
        table = new_lines[new_sections[name][0]:new_sections[name][1]]
        if lines[start:end] != table:
            stale.append(name)
            lines[start:end] = table
    if args.check:
        if stale:
            print(f"{args.doc} is stale in section(s) {', '.join(sorted(stale))}: regenerate it with "
                  "`/usr/bin/python3 scripts/update_output_doc.py`")
            return 1
        print(f"{args.doc}: {len(new_sections)} generated tables up to date")
        return 0
    pathlib.Path(args.doc).write_text("\n".join(lines), encoding="utf-8")
    print(f"{args.doc}: {len(stale)} of {len(new_sections)} tables rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
