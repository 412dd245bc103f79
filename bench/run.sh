#!/usr/bin/env bash
# netgraph benchmark: generate riffon-style corpora, time every command end to end (wall clock,
# peak memory), and time the peers, igraph and networkit, on the same graph in the same run.
#
#   bench/run.sh                 # 10k and 100k pages
#   bench/run.sh 20000           # other sizes
#   BENCH_DIR=/tmp/nb bench/run.sh
#   BENCH_PEERS=0 bench/run.sh   # netgraph alone
#
# Needs: the Rust toolchain; GNU time (/usr/bin/time, Debian package `time`) for peak memory;
# python3 with venv and pip: the peers are installed by name (igraph, networkit, numpy) into a
# venv at $BENCH_VENV (default $BENCH_DIR/venv), made on first use.
# Prints a Markdown table and writes it to $BENCH_DIR/results.md. Peers are timed on the
# algorithm alone (graph in memory); netgraph as a whole process. For each command the last
# rows give netgraph / the fastest peer (below 1: netgraph is ahead).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
dir=${BENCH_DIR:-/tmp/netgraph-bench}
mkdir -p "$dir"

cargo build --release --quiet --bin netgraph --example gen_corpus
ng=target/release/netgraph
gen=target/release/examples/gen_corpus
have_time=0; [ -x /usr/bin/time ] && have_time=1
have_peers=0
if [ "${BENCH_PEERS:-1}" != 0 ]; then
  venv=${BENCH_VENV:-$dir/venv}
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import igraph, networkit, numpy' 2>/dev/null; then
    python3 -m venv "$venv" && "$venv/bin/pip" install --quiet igraph networkit numpy
  fi
  "$venv/bin/python" -c 'import igraph, networkit, numpy' && have_peers=1
  py=$venv/bin/python
fi

has_cmd() { "$ng" help "$1" >/dev/null 2>&1; }

# run LABEL CMD...: time one command, append a table row.
run() {
  local label=$1; shift
  local out="$dir/out.txt" t="$dir/time.txt"
  if [ $have_time = 1 ]; then
    /usr/bin/time -f '%e %M' -o "$t" "$@" >"$out" 2>"$dir/err.txt" || { echo "FAILED: $*" >&2; cat "$dir/err.txt" >&2; return 1; }
    read -r secs kb <"$t"
    printf '%s\t%s\n' "$label" "$secs" >>"$dir/times-$pages.tsv"
    printf '| %s | %s | %s s | %s MiB |\n' "$pages" "$label" "$secs" "$((kb / 1024))" | tee -a "$results"
  else
    local start end
    start=$(date +%s.%N); "$@" >"$out" 2>"$dir/err.txt"; end=$(date +%s.%N)
    printf '| %s | %s | %.2f s | n/a |\n' "$pages" "$label" "$(echo "$end - $start" | bc)" | tee -a "$results"
  fi
}

results="$dir/results.md"
{
  echo "netgraph benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m)"
  echo
  echo '| pages | command | wall | peak RSS |'
  echo '|---|---|---|---|'
} | tee "$results"

for pages in "${sizes[@]}"; do
  corpus="$dir/corpus-$pages"
  [ -d "$corpus" ] || "$gen" --pages "$pages" --out "$corpus" 2>/dev/null
  db="$dir/bench-$pages.db"
  rm -f "$db" "$db-wal" "$db-shm" "$dir/times-$pages.tsv"
  run "import (new database)" "$ng" --db "$db" import "$corpus" -q
  run "import again (unchanged)" "$ng" --db "$db" import "$corpus" -q
  run "stats" "$ng" --db "$db" stats
  if has_cmd central; then
    run "central --by pagerank" "$ng" --db "$db" central --by pagerank --recompute
    run "central --by pagerank (kept)" "$ng" --db "$db" central --by pagerank
    run "central --by eigenvector" "$ng" --db "$db" central --by eigenvector --recompute
    run "central --by betweenness --samples 1000" "$ng" --db "$db" central --by betweenness --samples 1000 --recompute
    if [ "$pages" -le 20000 ]; then
      run "central --by betweenness (exact)" "$ng" --db "$db" central --by betweenness --recompute
      run "central --by closeness" "$ng" --db "$db" central --by closeness --recompute
    fi
  fi
  if has_cmd communities; then
    run "communities (leiden)" "$ng" --db "$db" communities --recompute
  fi
  if has_cmd search; then
    # Two words of the most widespread insight: a query with many matches.
    words=$(python3 -c "import sqlite3,sys; t=sqlite3.connect(sys.argv[1]).execute('SELECT i.text FROM insight_sources s JOIN insights i ON i.id = s.insight_id ORDER BY s.sources DESC LIMIT 1').fetchone()[0]; print(' '.join(w.strip('.,') for w in t.split()[1:3]))" "$db")
    run "search \"$words\" (whole process)" "$ng" --db "$db" search "$words" --limit 10
    run "show (whole process)" "$ng" --db "$db" show 1
  fi
  if [ $have_peers = 1 ]; then
    edges="$dir/edges-$pages.tsv"
    "$py" - "$db" "$edges" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
with open(sys.argv[2], "w") as f:
    f.write("a\tb\tweight\n")
    for a, b, w in con.execute("SELECT a, b, weight FROM appears_with"):
        f.write(f"{a}\t{b}\t{w}\n")
PY
    "$py" bench/igraph_bench.py "$edges" --pivots 1000 --seed 1 >"$dir/igraph-$pages.json" 2>/dev/null
    # networkit's OpenMP threads spin while they wait; on a shared machine passive waiting is
    # what lets it run at its best, so the ratio below is the harder one for netgraph.
    OMP_WAIT_POLICY=PASSIVE "$py" bench/networkit_bench.py "$edges" --pivots 1000 --seed 1 \
      >"$dir/networkit-$pages.json" 2>/dev/null
    "$py" bench/peers.py "$pages" "$dir/times-$pages.tsv" "$dir/igraph-$pages.json" \
      "$dir/networkit-$pages.json" | tee -a "$results"
  fi
  if has_cmd communities; then
    q=$("$ng" --db "$db" communities --format json | python3 -c 'import json,sys; print("%.6f" % json.load(sys.stdin)["modularity"])')
    echo "| $pages | netgraph leiden modularity: $q | | |" | tee -a "$results"
  fi
done
echo
echo "table written to $results"
