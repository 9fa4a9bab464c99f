#!/usr/bin/env bash
# Does ND4J 1.0.0-M2.1's CUDA backend run PoolLab on this GPU? One prepared run answers it.
#
#   bench/gpu-check.sh prepare   on a machine with Maven Central: the `cuda` profile's runtime jars into
#                                target/gpu-check/lib, their size against what a device run can carry, and the GPU
#                                architectures the CUDA natives hold machine code (SASS) and PTX for
#   bench/gpu-check.sh run       on the GPU machine (build and jars carried there): the device, its compute
#                                capability, the driver and CUDA runtime, the natives ND4J loads, then a forward and
#                                backward pass of the quickstart model and a short `poollab bench` on the GPU, with
#                                img/s, or the exact failure
#
# Output goes to stdout and, when $OUT is set (the device tool's result folder), to $OUT/gpu-check.txt.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$ROOT/target/gpu-check/lib"
JAR="$ROOT/framework/core/target/poollab-framework-0.1.0-SNAPSHOT.jar"
CARRY_LIMIT_MB=64
LOG="${OUT:-/tmp}/gpu-check.txt"

say() { echo "gpu-check: $*" | tee -a "$LOG"; }

architectures() { # the SASS and PTX targets of ND4J's CUDA library (bench/fatbin_targets.py)
  local work; work="$(mktemp -d)"
  for jar in "$LIB"/nd4j-cuda-*linux-x86_64*.jar; do
    [ -f "$jar" ] || continue
    (cd "$work" && unzip -q -o "$jar" '*libnd4jcuda.so' 2>/dev/null)
  done
  local so; so="$(find "$work" -name 'libnd4jcuda.so' | head -1)"
  if [ -n "$so" ]; then
    python3 "$ROOT/bench/fatbin_targets.py" "$so" | sed "s|$work/||" | while IFS= read -r line; do say "$line"; done
  else
    say "no libnd4jcuda.so in the jars of $LIB"
  fi
  rm -rf "$work"
}

prepare() {
  say "copying the cuda profile's runtime jars into $LIB (downloads ~600 MB the first time)"
  rm -rf "$LIB"
  (cd "$ROOT" && mvn -q -B -Pcuda -pl framework/core dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$LIB") || { say "FAILED: mvn -Pcuda dependency:copy-dependencies"; exit 1; }
  local size; size=$(du -sm "$LIB" | cut -f1)
  say "the cuda runtime jars: ${size} MB (a device run carries at most ${CARRY_LIMIT_MB} MB with the tree)"
  [ "$size" -le "$CARRY_LIMIT_MB" ] || say "too large to carry: 'run' needs them on the GPU machine already"
  architectures
}

run() {
  : > "$LOG"
  say "GPU: $(nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv,noheader 2>&1)"
  say "CUDA runtimes: $(ls /usr/local/cuda*/lib64/libcudart.so.* 2>/dev/null | tr '\n' ' ' || true)"
  say "java: $(java -version 2>&1 | head -1)"
  if ! ls "$LIB"/nd4j-cuda-*.jar >/dev/null 2>&1; then
    say "FAILURE: no nd4j-cuda-11.6 jars in $LIB: run 'bench/gpu-check.sh prepare' where Maven Central is"
    say "reachable and carry target/gpu-check (the jars are ~600 MB, over a device run's ${CARRY_LIMIT_MB} MB)"
    exit 3
  fi
  [ -f "$JAR" ] || { say "FAILURE: $JAR is missing: build first (mvn -DskipTests package) and carry it"; exit 3; }
  architectures
  local cp="$JAR"
  for jar in "$LIB"/*.jar; do
    case "${jar##*/}" in nd4j-native-*) continue ;; esac # the CPU backend must not win the class path
    cp="$cp:$jar"
  done
  say "a forward and backward pass and a short bench of the quickstart model on the GPU"
  if POOLLAB_PLUGINS_DIR="${POOLLAB_PLUGINS_DIR:-$ROOT/target/plugins}" java -Xmx4g \
      -cp "$cp" org.poollab.cli.PoolLab bench "$ROOT/experiments/quickstart.yaml" --set trainer.replicas=1 \
      --batches 64,256 --steps 10 --warmup 3 --json "${OUT:-/tmp}/gpu-bench.json" >> "$LOG" 2>&1; then
    say "PASSED: $(grep -E 'natives|batch' "$LOG" | tr '\n' ';')"
  else
    say "FAILED (exit $?); the end of its output:"
    tail -40 "$LOG" | grep -v '^gpu-check:' | sed 's/^/  /'
    exit 1
  fi
}

case "${1:-}" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: bench/gpu-check.sh prepare|run" >&2; exit 2 ;;
esac
