#!/usr/bin/env bash
# Regenerates the conformance vectors with the official @polymarket/clob-client-v2 (npm) and checks polybot
# against them live: every `polybot order build` / `polybot auth l1|l2` output must be byte-equal to the client's.
# Also diffs the fresh vectors against the committed tests/data/oms/official_vectors.jsonl.
#   usage: scripts/official-vectors/check.sh [PATH/TO/polybot]   (default: build/release/app/polybot)
# Exit: 0 all equal; 1 a mismatch; 77 skipped (node/npm or the registry unavailable).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
polybot="${1:-$root/build/release/app/polybot}"
[[ -x "$polybot" ]] || { echo "check.sh: no polybot binary at $polybot" >&2; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "check.sh: node/npm not installed; skipped" >&2; exit 77; }
cd "$here"
if [[ ! -d node_modules/@polymarket/clob-client-v2 ]]; then
  npm ci --no-audit --no-fund --loglevel=error >&2 || { echo "check.sh: npm ci failed (registry unreachable?); skipped" >&2; exit 77; }
fi
fresh="$(mktemp)"
trap 'rm -f "$fresh"' EXIT
node generate.mjs --out "$fresh"
status=0
if ! diff -q "$root/tests/data/oms/official_vectors.jsonl" "$fresh" >/dev/null; then
  echo "check.sh: regenerated vectors differ from tests/data/oms/official_vectors.jsonl (client version change?)" >&2
  diff <(head -c 2000 "$root/tests/data/oms/official_vectors.jsonl") <(head -c 2000 "$fresh") >&2 || true
  status=1
fi
node check.mjs --polybot "$polybot" --vectors "$fresh" || status=1
exit $status
