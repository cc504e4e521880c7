#!/usr/bin/env bash
# Benchmarks agentpkg against the standard tools on the same data, in one run, and prints ratios.
# Datasets come from ../shared/bench-datasets.py (a: 20,000 small files; b: 8 x 64 MiB).
# Uses hyperfine when present (mean of its runs); otherwise the median of RUNS timed runs.
#
#   scripts/bench.sh [BENCH_DIR]      default BENCH_DIR: /dev/shm/agentpkg-bench (tmpfs)
#   RUNS=5 DATASETS="a b" scripts/bench.sh
#   INSTALL_DIR=...  where install targets are created (default /dev/shm/agentpkg-bench-target)
#   OWN_PACKAGES=1000 OWN_FILES=100  size of the cached ownership-scale root
#   SECTIONS="pack startup install ownership run integrity"  which parts to run (default: all)
#   WARMUP=1  hyperfine warm-up runs per command
# One-off costs, cached under BENCH_DIR: the datasets, and for `ownership` a root with 1,000
# installed packages (a few minutes; rebuilt when registry/src/main changes in git).
# Where an install's CPU time goes: see scripts/perf-phases.py (perf record + phase attribution).
set -euo pipefail
cd "$(dirname "$0")/.."
project=$PWD
bench=${1:-/dev/shm/agentpkg-bench}
runs=${RUNS:-5}
datasets=${DATASETS:-a b}
sections=${SECTIONS:-pack startup install ownership run integrity}
warmup=${WARMUP:-1}
want() { [[ " $sections " == *" $1 "* ]]; }
A=$project/scripts/agentpkg
shared=${SHARED_DIR:-$project/../shared}
mkdir -p "$bench"
# A private AppCDS cache: other agentpkg checkouts on the machine share ~/.cache/agentpkg and their
# launchers may replace archives there mid-run, which would add a CDS dump (~1 s) to a timed run.
export AGENTPKG_CDS_DIR=${AGENTPKG_CDS_DIR:-$bench/cds}

[[ -f cli/target/agentpkg.jar ]] || mvn -B -q package -DskipTests

if [[ ! -f $bench/manifests/fingerprint.txt ]]; then
  echo "generating datasets in $bench (one-off)..." >&2
  python3 "$shared/bench-datasets.py" "$bench" >&2
fi

# time_cmd NAME CMD -> prints seconds (mean with hyperfine, else median of $runs)
time_cmd() {
  local name=$1 cmd=$2 prep=${3:-true} runs=${4:-$runs}
  if command -v hyperfine >/dev/null; then
    hyperfine --style none --warmup "$warmup" --runs "$runs" --prepare "$prep" \
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
# cpu_of NAME -> mean user+sys seconds of a hyperfine run (empty without hyperfine). Unlike wall
# time it hardly moves when other jobs load the machine, so it is printed next to the wall ratios.
cpu_of() {
  [[ -f $bench/hf-$1.json ]] && command -v hyperfine >/dev/null || return 0
  python3 -c "import json,sys;r=json.load(open(sys.argv[1]))['results'][0];print('%.4f'%(r['user']+r['system']))" "$bench/hf-$1.json"
}
ratio() { python3 -c "import sys;print('%.2f'%(float(sys.argv[1])/float(sys.argv[2])))" "$1" "$2"; }

note() { echo "$*" | tee -a "$bench/results.txt"; }
: > "$bench/results.txt"
note "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git rev-parse --short HEAD 2>/dev/null || echo '?') runs=$runs nproc=$(nproc) loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-48s %10s %10s %8s %s\n' "benchmark" "agentpkg" "baseline" "ratio" "target" | tee -a "$bench/results.txt"
report() { printf '%-48s %9ss %9ss %7sx %s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")" "$4" | tee -a "$bench/results.txt"; }
# report_cpu LABEL HF_NAME_A HF_NAME_B: the same comparison in CPU time (user+sys, all processes)
report_cpu() {
  local a b; a=$(cpu_of "$2"); b=$(cpu_of "$3")
  [[ -n $a && -n $b ]] || return 0
  printf '    %-44s %9ss %9ss %7sx\n' "$1" "$a" "$b" "$(ratio "$a" "$b")" | tee -a "$bench/results.txt"
}

# --- pack vs tar | gzip -6 -------------------------------------------------------------------
keys=$bench/keys; mkdir -p "$keys"
[[ -f $keys/signer.pem ]] || "$A" keys generate --out "$keys/signer.pem" -q
for d in $datasets; do
  want pack || want install || want integrity || break
  id=PKG-T3-BENCH$(echo "$d" | tr a-z A-Z)-001
  src=$bench/src-$d
  if [[ ! -d $src ]]; then
    mkdir -p "$src/modules/$id"
    cp -al "$bench/data/$d" "$src/modules/$id/data"
    printf '{"id":"%s","name":"bench %s","version":"1.0.0","tier":"T3","spec_id":"SPEC-BENCH-001","description":"benchmark dataset %s"}\n' \
      "$id" "$d" "$d" > "$src/package.json"
  fi
  out=$bench/out-$d; mkdir -p "$out"
  if ! want pack; then
    # the install section needs the archive; make it once without timing
    [[ -f $out/pkg.tar.gz ]] || "$A" pack --src "$src" --key "$keys/signer.pem" --out "$out/pkg.tar.gz" -q
    continue
  fi
  t_ap=$(time_cmd "pack-$d" "$A pack --src $src --key $keys/signer.pem --out $out/pkg.tar.gz -q")
  t_tar=$(time_cmd "tar-$d" "tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C $src -c . | gzip -6 > $out/tar.tar.gz")
  report "pack dataset $d vs tar|gzip -6" "$t_ap" "$t_tar" "<= 0.6"
  printf '    sizes: agentpkg %s bytes, tar|gzip %s bytes\n' "$(stat -c %s "$out/pkg.tar.gz")" "$(stat -c %s "$out/tar.tar.gz")" | tee -a "$bench/results.txt"
done

# --- start-up: launcher --version vs hello-world java ------------------------------------------
if want startup; then
hello=$bench/hello; mkdir -p "$hello"
cat > "$hello/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
[[ -f $hello/Hello.class ]] || javac -d "$hello" "$hello/Hello.java"
"$A" --version >/dev/null 2>&1 # first use creates the CDS archive
# ~30 ms commands: at RUNS=3 one scheduling hiccup moved the mean by half; 20 runs cost ~1 s
short_runs=$(( runs > 20 ? runs : 20 ))
t_v=$(time_cmd version "$A --version" true "$short_runs")
t_h=$(time_cmd hello "java -cp $hello Hello" true "$short_runs")
report "start-up: agentpkg --version vs java Hello" "$t_v" "$t_h" "<= 1.3"
fi

# --- install vs tar -xzf of the same archive --------------------------------------------------
# Both sides get the same preparation before every run (untimed): remove the target, copy a
# pristine initialised root (key trusted) into it with cp -a, sync. agentpkg installs into that
# root; tar extracts the same archive into the same kind of directory (the root's few files sit in
# reserved dirs the archive never touches). Targets live on tmpfs: ext4 slows file creation 3-10x
# right after a mass deletion, which would measure the previous run's rm -rf, not the install.
# On tmpfs agentpkg's `sync -f` / fsyncs cost next to nothing, so this measures CPU and syscall
# work, not disk durability.
tgt=${INSTALL_DIR:-/dev/shm/agentpkg-bench-target}
pristine=$bench/root-pristine
if want install || want ownership || want integrity; then
  mkdir -p "$tgt"
  if [[ ! -s $pristine.token || ! -d $pristine || $keys/signer.pub.pem -nt $pristine.token ]]; then
    rm -rf "$pristine" "$pristine.tmp"
    "$A" init --root "$pristine.tmp" -q > "$pristine.token.tmp"
    "$A" keys trust "$keys/signer.pub.pem" --tiers T0,T1,T2,T3 --owner bench \
      --root "$pristine.tmp" --token "$(cat "$pristine.token.tmp")" -q
    mv "$pristine.tmp" "$pristine"
    mv "$pristine.token.tmp" "$pristine.token"
  fi
  tok=$(cat "$pristine.token")
  note "    install targets in $tgt ($(stat -f -c %T "$tgt")); prepare: rm -rf, cp -a of a root, sync"
fi
if want install; then
  for d in $datasets; do
    arc=$bench/out-$d/pkg.tar.gz
    t=$tgt/install-$d
    prep="rm -rf $t; mkdir -p $tgt; cp -a $pristine $t; sync"
    t_ai=$(time_cmd "install-$d" "$A install --archive $arc --root $t --token $tok -q" "$prep")
    t_tx=$(time_cmd "untar-$d" "tar -xzf $arc -C $t" "$prep")
    case $d in a) goal="<= 1.3" ;; b) goal="<= 0.8" ;; *) goal="" ;; esac
    report "install dataset $d vs tar -xzf (same archive)" "$t_ai" "$t_tx" "$goal"
    report_cpu "cpu time (user+sys)" "install-$d" "untar-$d"
    rm -rf "$t"
  done
fi

# --- ownership scale: install 10 files into a root with 1,000 packages vs an empty root --------
# The full root is built once (packs and installs in one JVM, see BuildOwnershipRoot.java) and
# cached; the stamp ties it to the registry code that defines the on-disk state layout.
if want ownership; then
  own_n=${OWN_PACKAGES:-1000}
  own_f=${OWN_FILES:-100}
  own=$bench/root-own-$own_n-$own_f
  stamp="$(git rev-parse HEAD:registry/src/main 2>/dev/null || echo none) $(cat "$pristine.token")"
  if [[ ! -d $own || "$(cat "$own.stamp" 2>/dev/null)" != "$stamp" ]]; then
    echo "building a root with $own_n packages of $own_f files (one-off, cached in $own)..." >&2
    rm -rf "$own" "$own.tmp" "$own.stamp" "$bench/own-work"
    cp -a "$pristine" "$own.tmp"
    java -XX:+UseSerialGC -cp cli/target/agentpkg.jar scripts/BuildOwnershipRoot.java \
      "$own.tmp" "$tok" "$keys/signer.pem" "$bench/own-work" "$own_n" "$own_f"
    rm -rf "$bench/own-work"
    mv "$own.tmp" "$own"
    echo "$stamp" > "$own.stamp"
  fi
  probe=$bench/src-probe
  if [[ ! -f $probe/package.json ]]; then
    mkdir -p "$probe/modules/PKG-T3-PROBE-001"
    for i in 0 1 2 3 4 5 6 7 8 9; do echo "probe file $i" > "$probe/modules/PKG-T3-PROBE-001/f$i.txt"; done
    printf '{"id":"PKG-T3-PROBE-001","name":"probe","version":"1.0.0","tier":"T3","spec_id":"SPEC-BENCH-001","description":"10-file probe"}\n' \
      > "$probe/package.json"
  fi
  mkdir -p "$bench/out-probe"
  "$A" pack --src "$probe" --key "$keys/signer.pem" --out "$bench/out-probe/pkg.tar.gz" -q
  t=$tgt/own
  icmd="$A install --archive $bench/out-probe/pkg.tar.gz --root $t --token $tok -q"
  t_full=$(time_cmd own-full "$icmd" "rm -rf $t; mkdir -p $tgt; cp -a $own $t; sync")
  t_empty=$(time_cmd own-empty "$icmd" "rm -rf $t; mkdir -p $tgt; cp -a $pristine $t; sync")
  report "install 10 files: $own_n-pkg root vs empty root" "$t_full" "$t_empty" "<= 1.5"
  report_cpu "cpu time (user+sys)" own-full own-empty
  rm -rf "$t"
fi
# --- run start-up: a trivial module in each isolation vs `java -version` --------------------------
# The wall time of the whole `agentpkg run` (authenticate, re-verify and copy the jar, re-scan, ledger
# events, load, run) for a module that returns at once; a fresh root with it installed is cached.
if want run; then
  rr=$bench/root-run
  if [[ ! -s $rr.token || $keys/signer.pub.pem -nt $rr.token || cli/target/agentpkg.jar -nt $rr.token ]]; then
    rm -rf "$rr" "$rr.src" "$rr.classes"
    "$A" init --root "$rr" -q > "$rr.tmp-token"
    "$A" keys trust "$keys/signer.pub.pem" --tiers T1 --owner bench --root "$rr" --token "$(cat "$rr.tmp-token")" -q
    api=$(ls module-api/target/agentpkg-module-api-*.jar | head -1)
    mkdir -p "$rr.classes" "$rr.src/modules/PKG-T1-TRIVIAL-001/lib"
    cat > "$rr.classes/Trivial.java" <<'JAVA'
package bench;
public class Trivial implements dev.agentpkg.api.AgentModule {
  public int run(dev.agentpkg.api.ModuleContext ctx) { return 0; }
}
JAVA
    javac --release 17 -cp "$api" -d "$rr.classes" "$rr.classes/Trivial.java"
    (cd "$rr.classes" && jar cf "$rr.src/modules/PKG-T1-TRIVIAL-001/lib/trivial.jar" bench)
    printf '{"id":"PKG-T1-TRIVIAL-001","name":"trivial","version":"1.0.0","tier":"T1","spec_id":"SPEC-BENCH-001","description":"returns 0","runtime":{"entrypoint":"bench.Trivial","classpath":["modules/PKG-T1-TRIVIAL-001/lib/trivial.jar"]}}\n' \
      > "$rr.src/package.json"
    "$A" pack --src "$rr.src" --key "$keys/signer.pem" --out "$rr.classes/trivial.tar.gz" -q
    "$A" install --archive "$rr.classes/trivial.tar.gz" --root "$rr" --token "$(cat "$rr.tmp-token")" -q
    mv "$rr.tmp-token" "$rr.token"
  fi
  rtok=$(cat "$rr.token")
  t_jv=$(time_cmd java-version "java -version")
  for iso in process in-process; do
    t_run=$(time_cmd "run-$iso" "$A run PKG-T1-TRIVIAL-001 --isolation $iso --root $rr --token $rtok -q")
    report "run start-up ($iso) vs java -version" "$t_run" "$t_jv" "(reported)"
  done
fi
# --- integrity check vs sha256sum -c and openssl dgst over the same files -------------------------
# A root with the dataset installed is cached (rebuilt when the archive or the pristine root
# changes). The baselines hash exactly the files the registry lists (registries/files/<ID>.csv),
# from the root dir: `sha256sum -c` of a "<sha256>  <path>" file, and `openssl dgst -sha256` fed a
# NUL-separated list through xargs. agentpkg does more (orphan walk, registry, store, ledger), and
# uses all cores; the two tools use one.
if want integrity; then
  floor=$bench/floor
  if [[ ! -f $floor/HashFloor.class || scripts/HashFloor.java -nt $floor/HashFloor.class ]]; then
    mkdir -p "$floor" && ${JAVA_HOME:+$JAVA_HOME/bin/}javac -d "$floor" scripts/HashFloor.java
  fi
  # a copy of scripts/agentpkg's heavy profile (GC and JIT): keep the two in step, or the floor
  # stops being the same JVM as the check it is the floor of
  floor_java=${JAVA_HOME:+$JAVA_HOME/bin/}java
  floor_opts="-XX:+UseSerialGC -XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions -XX:-DisplayVMOutput"
  floor_opts+=" -XX:CompilerDirectivesFile=$project/scripts/agentpkg-jit.json"
  floor_opts+=" -XX:Tier3InvocationThreshold=100000 -XX:Tier3MinInvocationThreshold=100000"
  floor_opts+=" -XX:Tier3CompileThreshold=1000000 -XX:Tier3BackEdgeThreshold=1000000"
  floor_opts+=" -XX:Tier0ProfilingStartPercentage=0 -XX:Tier4InvocationThreshold=50"
  floor_opts+=" -XX:Tier4MinInvocationThreshold=25 -XX:Tier4CompileThreshold=250"
  floor_opts+=" -XX:Tier4BackEdgeThreshold=5000 -XX:CompileCommand=quiet"
  floor_opts+=" -XX:CompileCommand=CompileThresholdScaling,sun.security.provider.DigestBase::engineUpdate,0.05"
  for d in $datasets; do
    id=PKG-T3-BENCH$(echo "$d" | tr a-z A-Z)-001
    arc=$bench/out-$d/pkg.tar.gz
    ir=$bench/root-integrity-$d
    stamp="$(stat -c '%s-%Y' "$arc") $(cat "$pristine.token")"
    if [[ ! -d $ir || "$(cat "$ir.stamp" 2>/dev/null)" != "$stamp" ]]; then
      rm -rf "$ir" "$ir.tmp" "$ir.stamp"
      cp -a "$pristine" "$ir.tmp"
      "$A" install --archive "$arc" --root "$ir.tmp" --token "$tok" -q
      mv "$ir.tmp" "$ir"
      python3 - "$ir/registries/files/$id.csv" "$ir.sums" "$ir.list0" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
with open(sys.argv[2], "w", encoding="utf-8") as sums, open(sys.argv[3], "wb") as nul:
    for r in rows:
        sums.write("%s  %s\n" % (r["sha256"], r["path"]))
        nul.write(r["path"].encode("utf-8") + b"\0")
PY
      echo "$stamp" > "$ir.stamp"
    fi
    n=$(tr -cd '\0' < "$ir.list0" | wc -c)
    "$A" integrity check -q --root "$ir" # healthy, or the timings below mean nothing
    t_ic=$(time_cmd "integrity-$d" "$A integrity check -q --root $ir")
    t_sc=$(time_cmd "sha256sum-c-$d" "cd $ir && sha256sum -c --quiet $ir.sums")
    t_os=$(time_cmd "openssl-dgst-$d" "cd $ir && xargs -0 openssl dgst -sha256 < $ir.list0 > /dev/null")
    report "integrity check dataset $d ($n files) vs sha256sum -c" "$t_ic" "$t_sc" "< 1.0"
    report_cpu "cpu time (user+sys)" "integrity-$d" "sha256sum-c-$d"
    report "integrity check dataset $d vs openssl dgst -sha256" "$t_ic" "$t_os" "<= 1.5"
    report_cpu "cpu time (user+sys)" "integrity-$d" "openssl-dgst-$d"
    # The floor under any JVM implementation: a bare program that only hashes the same files and
    # the store archive, with the launcher's GC and JIT settings (see HashFloor.java).
    store=$(cd "$ir" && echo packages_store/"$id"-*.tar.gz)
    t_fl=$(time_cmd "floor-$d" "$floor_java $floor_opts -cp $floor HashFloor $ir $ir.list0 $store")
    report "  floor: bare JVM SHA-256 of the same, vs openssl" "$t_fl" "$t_os" "(reference)"
    report_cpu "cpu time (user+sys)" "floor-$d" "openssl-dgst-$d"
  done
fi
note "# loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "results in $bench/results.txt" >&2
