#!/usr/bin/env python3
"""Quality gates on the shared gold pages, for `.ci/run`.

Runs the shared scorer (`../shared/eval/score.py`) once over the given
directories and checks its figures against floors:

    scripts/score-gates.py --bin target/release/begrip --overall 0.94 --page 0.90 \
        --kind block=0.90 --kind meta=0.92 --precise programme ../shared/corpus

`--overall` and `--page` are the strict micro F1 and the page-mean F1; each
`--kind NAME=F1` is a floor on that kind's strict F1; each `--precise NAME`
asks that kind's strict precision to be at least its recall (begrip invents
no structure). Prints the figures it checked and exits 1 when one is under
its floor, 2 when the scorer fails or prints what this script cannot read.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

SCORER = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "score.py"

# `block          92     97 | 0.90 0.95 0.921       | 0.90 0.95 0.921`
KIND_ROW = re.compile(r"^(\w+)\s+(\d+)\s+(\d+)\s+\|\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+\|")
# `overall: files 65, errors 0, strict F1 0.958 (...), loose F1 0.958, page-mean F1 0.921`
OVERALL = re.compile(r"^overall: .*strict F1 ([\d.]+).*page-mean F1 ([\d.]+)")


def kind_floor(text):
    name, _, value = text.partition("=")
    if not name or not value:
        raise argparse.ArgumentTypeError(f"expected NAME=F1, got {text!r}")
    return name, float(value)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="the begrip binary")
    parser.add_argument("--overall", type=float, default=0.0, help="floor on the strict micro F1")
    parser.add_argument("--page", type=float, default=0.0, help="floor on the page-mean F1")
    parser.add_argument("--kind", type=kind_floor, action="append", default=[], help="NAME=F1 floor for a kind")
    parser.add_argument("--precise", action="append", default=[], help="a kind whose precision must be >= recall")
    parser.add_argument("dirs", nargs="+", help="directories of pages with gold")
    return parser.parse_args()


def score(binary, dirs):
    """The scorer's kind rows {kind: (precision, recall, f1)} and (overall, page-mean)."""
    run = subprocess.run([sys.executable, str(SCORER), "--bin", binary, *dirs], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"score-gates: the scorer failed ({run.returncode}):\n{run.stderr}")
    kinds, overall = {}, None
    for line in run.stdout.splitlines():
        if m := KIND_ROW.match(line):
            kinds[m[1]] = (float(m[4]), float(m[5]), float(m[6]))
        elif m := OVERALL.match(line):
            overall = (float(m[1]), float(m[2]))
    if overall is None:
        print(f"score-gates: no overall line in the scorer's output:\n{run.stdout}", file=sys.stderr)
        sys.exit(2)
    return kinds, overall


def main():
    args = arguments()
    kinds, (overall, page) = score(args.bin, args.dirs)
    checks = [("overall strict F1", overall, args.overall), ("page-mean F1", page, args.page)]
    for name, floor in args.kind:
        if name not in kinds:
            print(f"score-gates: the scorer printed no row for kind {name!r}", file=sys.stderr)
            sys.exit(2)
        checks.append((f"{name} strict F1", kinds[name][2], floor))
    failed = False
    for name, value, floor in checks:
        ok = value >= floor
        failed |= not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name} {value:.3f} (gate {floor:.2f})")
    for name in args.precise:
        precision, recall, _ = kinds.get(name, (0.0, 1.0, 0.0))
        ok = precision >= recall
        failed |= not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name} precision {precision:.2f} >= recall {recall:.2f}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
