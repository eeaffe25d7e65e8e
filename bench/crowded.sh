#!/usr/bin/env bash
# Controlled and free runs alone and two at once (a crowded 2-core host), for one build:
#   bash bench/crowded.sh [TREE]     TREE: a checkout with a built dist/ [this one]
# Prints each run's time; "two" is the same command twice at once, each one's time. Alternate two
# builds to compare them (bench/README.md, "The suite again, and spinning on a crowded host").
set -euo pipefail
T="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cli() { node "$T/dist/src/cli/main.js" "$@" --seed 1 --no-out 2>&1; }
secs() { grep -m1 -o 'in [0-9.]* s' | awk '{print $2}'; }
pct() { cli run same-folio-two-batches --kernel 6.11 --mode pct --iterations "$1" | secs; }
ver() { cli run madv-free-dio-gup-fast --kernel 5.18 --mode verify --memory tso | secs; }
fre() { cli run gup-longterm-vs-activate --kernel 6.11 --mode free --iterations 100000 | secs; }
two() { local a b; a=$(mktemp); b=$(mktemp); "$@" >"$a" & "$@" >"$b" & wait; echo "$(cat "$a")/$(cat "$b")"; rm -f "$a" "$b"; }
echo "$T pct-50k-alone $(pct 50000) pct-20k-two $(two pct 20000) verify-alone $(ver) verify-two $(two ver)" \
  "free-100k-alone $(fre) free-100k-two $(two fre)"
