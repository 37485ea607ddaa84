#!/usr/bin/env bash
# Compare the outputs of two begrip binaries (records CSV, indicators CSV, JSON and --report, with
# their exit codes) on the seeds, the fixtures, ../shared/corpus/*.txt and ../shared/wild/pages/*,
# plus any files given after the binaries. Prints each input that differs and a count.
# usage: scripts/compare-outputs.sh BASE NEW [MORE FILES...]
set -u
cd "$(dirname "$0")/.."
base=$1 new=$2
shift 2
n=0 fail=0
for f in seeds/* fixtures/pages/*.txt ../shared/corpus/*.txt ../shared/wild/pages/* "$@"; do
  [ -f "$f" ] || continue
  for mode in "-f csv -t records" "-f csv -t indicators" "-f json" "--report"; do
    # shellcheck disable=SC2086
    a=$("$base" parse $mode "$f" 2>&1 | md5sum; echo "${PIPESTATUS[0]}")
    # shellcheck disable=SC2086
    b=$("$new" parse $mode "$f" 2>&1 | md5sum; echo "${PIPESTATUS[0]}")
    n=$((n + 1))
    if [ "$a" != "$b" ]; then
      echo "DIFF ($mode) $f"
      fail=$((fail + 1))
    fi
  done
done
echo "compared $n outputs, $fail differ"
[ "$fail" -eq 0 ]
