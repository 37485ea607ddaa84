#!/usr/bin/env bash
# Build a large test corpus on disk from the project's own pages, for timing `begrip batch` by hand:
#   scripts/make-corpus.sh 400 /tmp/corpus      # 400 copies of seeds/ and fixtures/pages/ (~4,400 files)
#   /usr/bin/time -v target/release/begrip batch /tmp/corpus --out /tmp/converted --jobs 2
set -euo pipefail
copies=${1:?usage: make-corpus.sh COPIES DIR}
dir=${2:?usage: make-corpus.sh COPIES DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$dir"
for i in $(seq -w 1 "$copies"); do
  mkdir -p "$dir/copy$i"
  for f in "$here"/seeds/*.txt "$here"/fixtures/pages/*.txt; do
    cp "$f" "$dir/copy$i/$(basename "$(dirname "$f")")-$(basename "$f")"
  done
done
echo "$(find "$dir" -type f | wc -l) files, $(du -sh "$dir" | cut -f1) in $dir"
