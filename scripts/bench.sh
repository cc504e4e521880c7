#!/usr/bin/env bash
# Benchmarks agentpkg against the standard tools on the same data, in one run, and prints ratios.
# Datasets come from ../shared/bench-datasets.py (a: 20,000 small files; b: 8 x 64 MiB).
# Uses hyperfine when present (mean of its runs); otherwise the median of RUNS timed runs.
#
#   scripts/bench.sh [BENCH_DIR]      default BENCH_DIR: /dev/shm/agentpkg-bench (tmpfs)
#   RUNS=5 DATASETS="a b" scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
project=$PWD
bench=${1:-/dev/shm/agentpkg-bench}
runs=${RUNS:-5}
datasets=${DATASETS:-a b}
A=$project/scripts/agentpkg
shared=${SHARED_DIR:-$project/../shared}
mkdir -p "$bench"

[[ -f cli/target/agentpkg.jar ]] || mvn -B -q package -DskipTests

if [[ ! -f $bench/manifests/fingerprint.txt ]]; then
  echo "generating datasets in $bench (one-off)..." >&2
  python3 "$shared/bench-datasets.py" "$bench" >&2
fi

# time_cmd NAME CMD -> prints seconds (mean with hyperfine, else median of $runs)
time_cmd() {
  local name=$1 cmd=$2 prep=${3:-true}
  if command -v hyperfine >/dev/null; then
    hyperfine --style none --warmup 1 --runs "$runs" --prepare "$prep" \
      --export-json "$bench/hf-$name.json" "$cmd" >/dev/null
    python3 -c "import json,sys;print('%.4f'%json.load(open(sys.argv[1]))['results'][0]['mean'])" "$bench/hf-$name.json"
  else
    local t=()
    bash -c "$prep"; bash -c "$cmd" >/dev/null 2>&1
    for ((i = 0; i < runs; i++)); do
      bash -c "$prep"
      local s=$(date +%s%N); bash -c "$cmd" >/dev/null 2>&1; local e=$(date +%s%N)
      t+=($(( e - s )))
    done
    printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.4f\n", a[int((NR+1)/2)]/1e9}'
  fi
}
ratio() { python3 -c "import sys;print('%.2f'%(float(sys.argv[1])/float(sys.argv[2])))" "$1" "$2"; }

printf '%-44s %10s %10s %8s %s\n' "benchmark" "agentpkg" "baseline" "ratio" "target" | tee "$bench/results.txt"
report() { printf '%-44s %9ss %9ss %7sx %s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")" "$4" | tee -a "$bench/results.txt"; }

# --- pack vs tar | gzip -6 -------------------------------------------------------------------
keys=$bench/keys; mkdir -p "$keys"
[[ -f $keys/signer.pem ]] || "$A" keys generate --out "$keys/signer.pem" -q
for d in $datasets; do
  id=PKG-T3-BENCH$(echo "$d" | tr a-z A-Z)-001
  src=$bench/src-$d
  if [[ ! -d $src ]]; then
    mkdir -p "$src/modules/$id"
    cp -al "$bench/data/$d" "$src/modules/$id/data"
    printf '{"id":"%s","name":"bench %s","version":"1.0.0","tier":"T3","spec_id":"SPEC-BENCH-001","description":"benchmark dataset %s"}\n' \
      "$id" "$d" "$d" > "$src/package.json"
  fi
  out=$bench/out-$d; mkdir -p "$out"
  t_ap=$(time_cmd "pack-$d" "$A pack --src $src --key $keys/signer.pem --out $out/pkg.tar.gz -q")
  t_tar=$(time_cmd "tar-$d" "tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C $src -c . | gzip -6 > $out/tar.tar.gz")
  report "pack dataset $d vs tar|gzip -6" "$t_ap" "$t_tar" "<= 0.6"
  printf '    sizes: agentpkg %s bytes, tar|gzip %s bytes\n' "$(stat -c %s "$out/pkg.tar.gz")" "$(stat -c %s "$out/tar.tar.gz")" | tee -a "$bench/results.txt"
done

# --- start-up: launcher --version vs hello-world java ------------------------------------------
hello=$bench/hello; mkdir -p "$hello"
cat > "$hello/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
[[ -f $hello/Hello.class ]] || javac -d "$hello" "$hello/Hello.java"
"$A" --version >/dev/null 2>&1 # first use creates the CDS archive
t_v=$(time_cmd version "$A --version")
t_h=$(time_cmd hello "java -cp $hello Hello")
report "start-up: agentpkg --version vs java Hello" "$t_v" "$t_h" "<= 1.3"

echo "results in $bench/results.txt" >&2
