"""nbcheck.py: checks on notebooks, used by scripts/test.sh.

  python3 scripts/nbcheck.py cleared  NB.ipynb...   # committed notebooks: no outputs, no counts
  python3 scripts/nbcheck.py executed NB.ipynb...   # executed notebooks: no errors, panics, races

Run it with the Python that Jupyter uses (it needs nbformat). A cell whose metadata tags
include "raises-exception" (nbclient's own tag) may show errors; its outputs are not scanned.
"""

import re
import sys

import nbformat

ALLOW_TAG = "raises-exception"

# stderr text that means a cell failed even when GoNB reported no error output, e.g. a
# failing `!` shell command only prints "exit status 1".
BAD_STDERR = [
    (re.compile(r"^panic: ", re.M), "Go panic"),
    (re.compile(r"^fatal error: ", re.M), "Go runtime fatal error"),
    (re.compile(r"WARNING: DATA RACE"), "data race"),
    (re.compile(r"^exit status \d+", re.M), "non-zero exit status"),
    (re.compile(r"^\S+\.go:\d+:\d+: ", re.M), "Go compile error"),
    (re.compile(r"^go: .*(cannot|can't|not found|no required module|error|invalid)", re.M), "go command error"),
    (re.compile(r"SETUP FAILED"), "setup cell failed"),
    (re.compile(r"is not installed", re.M), "missing tool"),
]


def code_cells(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            yield i, cell


def first_line(cell):
    src = cell.source.strip().splitlines()
    return (src[0] if src else "")[:60]


def html_text(html):
    """html_text turns GoNB's HTML error report into plain lines."""
    html = re.sub(r"(?s)<style>.*?</style>", "", html)
    text = re.sub(r"<[^>]+>", "", html)
    text = text.replace("&#34;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return "\n".join(line for line in text.splitlines() if line.strip())


def check_cleared(paths):
    bad = 0
    for path in paths:
        for i, cell in code_cells(path):
            problems = []
            if cell.get("outputs"):
                problems.append("%d output(s)" % len(cell.outputs))
            if cell.get("execution_count") is not None:
                problems.append("execution_count=%s" % cell.execution_count)
            if problems:
                bad += 1
                print("%s: cell %d (%s): %s" % (path, i, first_line(cell), ", ".join(problems)))
    if bad:
        print("\n%d cell(s) were committed with outputs. Clear them with:\n"
              "  jupyter nbconvert --clear-output --inplace notebooks/*.ipynb" % bad)
    return bad == 0


def check_executed(paths):
    bad = 0
    for path in paths:
        for i, cell in code_cells(path):
            if ALLOW_TAG in cell.get("metadata", {}).get("tags", []):
                continue
            for out in cell.get("outputs", []):
                why = None
                if out.output_type == "error":
                    why = "error output: %s: %s" % (out.get("ename"), out.get("evalue"))
                elif out.output_type == "display_data" and "gonb-err-" in out.get("data", {}).get("text/html", ""):
                    why = "Go compile error"
                    out = {"text": html_text(out.data["text/html"])}
                elif out.output_type == "stream" and out.get("name") == "stderr":
                    for rx, what in BAD_STDERR:
                        if rx.search(out.text):
                            why = "%s in stderr" % what
                            break
                if why:
                    bad += 1
                    print("%s: cell %d (%s): %s" % (path, i, first_line(cell), why))
                    text = out.get("text") or "\n".join(out.get("traceback", []))
                    for line in text.strip().splitlines()[:15]:
                        print("    | " + line)
    if bad:
        print("\n%d failing output(s). If a cell is meant to fail, add the cell tag %r." % (bad, ALLOW_TAG))
    return bad == 0


def main(argv):
    if len(argv) < 2 or argv[1] not in ("cleared", "executed"):
        print(__doc__)
        return 2
    check = check_cleared if argv[1] == "cleared" else check_executed
    return 0 if check(argv[2:]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
