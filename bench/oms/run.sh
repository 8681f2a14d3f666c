#!/usr/bin/env bash
# One run of the oms crypto benchmarks and, in the same run, the official TypeScript client's createOrder in node as
# the baseline.   usage: bench/oms/run.sh [BUILD_DIR]   (default build/release; needs -DCMAKE_BUILD_TYPE=Release)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build/release}"
"$build/bench/oms/oms_crypto_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
if command -v node >/dev/null && [[ -d "$root/scripts/official-vectors/node_modules/@polymarket/clob-client-v2" ]]; then
  node "$root/bench/oms/node_create_order.mjs" 500
else
  echo "node baseline skipped: run 'npm ci' in scripts/official-vectors first"
fi
