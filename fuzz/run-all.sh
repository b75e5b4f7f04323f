#!/usr/bin/env bash
# Runs fuzz targets for a fixed time each, at most two at a time, niced.
# Usage: fuzz/run-all.sh [SECONDS] [TARGET...]   (default 600 s, every target)
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build -O
mkdir -p logs
run() {
    local t="$1"
    mkdir -p "corpus/$t"
    local seeds=()
    [ -d "seeds/$t" ] && seeds=("seeds/$t")
    nice -n 10 cargo +nightly fuzz run -O "$t" "corpus/$t" "${seeds[@]}" -- \
        -max_total_time="$secs" -print_final_stats=1 > "logs/$t.log" 2>&1 \
        && echo "$t: ok" || echo "$t: FAILED (see fuzz/logs/$t.log)"
}
i=0
for t in "${targets[@]}"; do
    run "$t" &
    i=$((i + 1))
    if [ $((i % 2)) -eq 0 ]; then wait; fi
done
wait
