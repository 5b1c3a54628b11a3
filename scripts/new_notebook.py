#!/usr/bin/env python3
"""Writes a notebook skeleton for the `java` kernel from a plain-text description (used to author notebooks).

Usage: new_notebook.py SOURCE.txt OUT.ipynb   (sources of the committed notebooks: scripts/notebook-src/)
SOURCE: cells separated by lines `%% md` or `%% java`.
"""
import sys

import nbformat


def build(text):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "java", "display_name": "Java (NormLab)", "language": "java"},
        "language_info": {"name": "java", "file_extension": ".jshell", "mimetype": "text/x-java-source"},
    }
    kind, lines = None, []

    def flush():
        if kind is None:
            return
        body = "\n".join(lines).strip("\n")
        nb.cells.append(nbformat.v4.new_markdown_cell(body) if kind == "md" else nbformat.v4.new_code_cell(body))

    for line in text.splitlines():
        if line.startswith("%% "):
            flush()
            kind, lines = line[3:].strip(), []
        else:
            lines.append(line)
    flush()
    return nb


if __name__ == "__main__":
    src, out = sys.argv[1:3]
    nbformat.write(build(open(src).read()), out)
