#!/usr/bin/env bash
# Run the README's DuckDB and pandas examples exactly as written: every fenced block whose info
# string is `sh example` or `python example` is taken out of README.md (so README and this check
# cannot drift apart) and run in order in target/readme-examples/, with the release build's
# `begrip` on the PATH and the seeds as `seeds/`. duckdb and pandas are installed with pip into a
# virtual environment under target/ when it does not have them yet.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

cargo build --release --locked --quiet
venv=$root/target/readme-venv
if ! "$venv/bin/python" -c 'import duckdb, pandas' 2>/dev/null; then
  echo "== installing duckdb and pandas into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check duckdb pandas
fi

work=$root/target/readme-examples
rm -rf "$work"
mkdir -p "$work"
ln -s "$root/seeds" "$work/seeds"
python3 - "$root/README.md" "$work" <<'PY'
import pathlib, re, sys
text = pathlib.Path(sys.argv[1]).read_text(encoding="utf-8")
blocks = re.findall(r"^```(sh|python) example( duckdb-sqlite)?\n(.*?)^```$", text, re.S | re.M)
if len(blocks) < 3:
    sys.exit(f"README.md: {len(blocks)} blocks marked `sh example` or `python example`, expected the sh, DuckDB and pandas ones")
for n, (language, needs, code) in enumerate(blocks, 1):
    name = f"{n:02}-example{needs.replace(' ', '.')}.{'sh' if language == 'sh' else 'py'}"
    (pathlib.Path(sys.argv[2]) / name).write_text(code, encoding="utf-8")
print(f"== {len(blocks)} README examples")
PY

export PATH="$root/target/release:$PATH"
cd "$work"
# DuckDB's sqlite extension comes from extensions.duckdb.org on first use: the block that needs it
# runs only where it can be had.
if "$venv/bin/python" -c 'import duckdb; duckdb.sql("INSTALL sqlite")' 2>/dev/null; then
  duckdb_sqlite=yes
else
  duckdb_sqlite=no
fi
for example in [0-9]*-example.*; do
  echo "== README example $example"
  if [[ $example == *duckdb-sqlite* && $duckdb_sqlite == no ]]; then
    echo "skipped: DuckDB cannot download its sqlite extension here (no connection to extensions.duckdb.org)"
    continue
  fi
  case $example in
    *.sh) bash -euo pipefail "$example" ;;
    *.py) "$venv/bin/python" "$example" ;;
  esac
done
echo "== README examples: all ran"
