# The benchmark harness, shell half: sourced by every bench under bench/ (see bench/README.md).
#   source "$(dirname "$0")/lib/harness.sh"; harness_parse "$@"; ...; harness_compare LABEL METRIC a fn_a b fn_b
# What it guarantees: the peer runs the same libtorch as DJL (PyPI torch 2.7.1 in its own venv, installed on first
# use); sides run interleaved (a, b, a, b, …) for ≥ 5 rounds; every side warms up until its step time is steady
# (bench/lib/benchstat.py SteadyClock, dev.vlltr.bench.SteadyClock) and prints one JSON line; the summary gives
# median and min–max per side, the ratio of medians and the load before/after; and it refuses to start a round when
# other work keeps more than a quarter of the cores busy (exit 3) unless --force, in which case every line says the
# machine was loaded.

HARNESS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HARNESS_PY="${HARNESS_PY:-python3}"
H_ROUNDS=5
H_FORCE=false
H_PEER=pypi
H_OUT="${VLLTR_BENCH_OUT:-/tmp/vlltr-bench}"
H_DJL_MALLOC=tuned
H_PEER_MALLOC=default
H_ARGS=()
# glibc malloc settings every stage JVM runs with (dev.vlltr.runtime.cli.MallocTunables: without them libtorch's
# freed buffers go back to the kernel and each step page-faults them in again). The DJL side runs as the stages do.
HARNESS_MALLOC_TUNABLES="glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=67108864"

harness_usage_common() {
  cat <<'USAGE'
common options (bench/lib/harness.sh):
  --rounds N     interleaved rounds per comparison (default 5; fewer is reported as too few)
  --force        run even when the machine is loaded (other work > 0.25 of the cores); the summary says so loudly
  --peer P       pypi (default: torch 2.7.1 from PyPI in ~/.cache/vlltr/venv-torch271, the libtorch DJL uses)
                 or debian (/usr/bin/python3 with apt's python3-torch 1.13, an older build)
  --out DIR      where round records and summaries go (default $VLLTR_BENCH_OUT or /tmp/vlltr-bench)
  --djl-malloc M   tuned (default: GLIBC_TUNABLES as every stage JVM runs) or default (glibc's own settings)
  --peer-malloc M  default (default: the peer as PyTorch users run it) or tuned (the same GLIBC_TUNABLES as DJL)
USAGE
}

# Consumes the common options; everything else is left, in order, in H_ARGS.
harness_parse() {
  H_ARGS=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --rounds) H_ROUNDS="$2"; shift 2 ;;
      --force) H_FORCE=true; shift ;;
      --peer) H_PEER="$2"; shift 2 ;;
      --out) H_OUT="$2"; shift 2 ;;
      --djl-malloc) H_DJL_MALLOC="$2"; shift 2 ;;
      --peer-malloc) H_PEER_MALLOC="$2"; shift 2 ;;
      *) H_ARGS+=("$1"); shift ;;
    esac
  done
  case "$H_ROUNDS" in ''|*[!0-9]*) echo "harness: --rounds expects a positive integer, got '$H_ROUNDS'" >&2; exit 2 ;; esac
  case "$H_PEER" in pypi|debian) ;; *) echo "harness: --peer expects pypi or debian, got '$H_PEER'" >&2; exit 2 ;; esac
  local m
  for m in "$H_DJL_MALLOC" "$H_PEER_MALLOC"; do
    case "$m" in tuned|default) ;; *) echo "harness: --djl-malloc/--peer-malloc expect tuned or default, got '$m'" >&2
      exit 2 ;; esac
  done
  # prefixes for the two sides' commands: "${H_DJL_ENV[@]}" java …, "${H_PEER_ENV[@]}" "$PEER_PY" …
  H_DJL_ENV=(env -u GLIBC_TUNABLES)
  if [ "$H_DJL_MALLOC" = tuned ]; then H_DJL_ENV=(env GLIBC_TUNABLES="$HARNESS_MALLOC_TUNABLES"); fi
  H_PEER_ENV=(env -u GLIBC_TUNABLES)
  if [ "$H_PEER_MALLOC" = tuned ]; then H_PEER_ENV=(env GLIBC_TUNABLES="$HARNESS_MALLOC_TUNABLES"); fi
  mkdir -p "$H_OUT"
}

harness_cores() { nproc; }
harness_load() { cut -d' ' -f1-3 /proc/loadavg; }

# The share of all cores that other work keeps busy, measured over 2 s from /proc/stat while the harness itself runs
# nothing (between rounds). The 1-minute load average cannot tell that: right after a round it still carries the
# bench's own threads (a 2-thread round leaves ~1.5 on 2 cores for a minute), so it would refuse a quiet machine.
harness_other_busy() {
  local a b
  a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  sleep 2
  b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); d = y[2] - x[2];
    printf "%.3f", (d > 0 ? (y[1] - x[1]) / d : 0) }'
}

# Refuses (exit 3) when other work keeps more than a quarter of the cores busy (more than half a core on 2 cores)
# while the harness is idle, unless --force (then a loud warning). Sets H_OTHER_BUSY for the round's record.
harness_check_load() {
  local cores
  cores=$(harness_cores)
  H_OTHER_BUSY=$(harness_other_busy)
  if awk -v b="$H_OTHER_BUSY" 'BEGIN { exit !(b > 0.25) }'; then
    if [ "$H_FORCE" = true ]; then
      echo "harness: WARNING: other work keeps $H_OTHER_BUSY of the $cores cores busy: this round runs on a LOADED" \
           "machine (--force)" >&2
    else
      echo "harness: refusing: other work keeps $H_OTHER_BUSY of the $cores cores busy (limit 0.25) — a comparison" \
           "now measures the other work on the machine, not the code. Wait for a quiet machine, or pass --force to" \
           "measure anyway (the summary then says the numbers are loaded)." >&2
      exit 3
    fi
  fi
}

# Sets PEER_PY to a Python with the peer's torch; extra requirements as module=pip-spec (e.g. PIL=pillow).
harness_peer_python() {
  local specs=("$@") missing=() s
  if [ "$H_PEER" = debian ]; then
    PEER_PY=/usr/bin/python3
    "$PEER_PY" -c 'import torch' 2>/dev/null || {
      echo "harness: --peer debian needs apt's python3-torch (apt-get install python3-torch python3-torchvision)" >&2
      exit 2; }
    return 0
  fi
  local venv="${VLLTR_TORCH_VENV:-$HOME/.cache/vlltr/venv-torch271}"
  PEER_PY="$venv/bin/python"
  if ! "$PEER_PY" -c 'import torch, sys; sys.exit(torch.__version__.split("+")[0] != "2.7.1")' 2>/dev/null; then
    echo "harness: installing the peer: torch==2.7.1 from PyPI into $venv (the x86 wheel is the CUDA build; it runs on the CPU)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q torch==2.7.1 >&2
  fi
  for s in "${specs[@]}"; do
    "$PEER_PY" -c "import ${s%%=*}" 2>/dev/null || missing+=("${s#*=}")
  done
  [ ${#missing[@]} -eq 0 ] || "$venv/bin/pip" install -q "${missing[@]}" >&2
}

# Sets BENCH_CP to the bench module's classpath, building the module (offline, no install) when needed.
harness_bench_classpath() {
  if [ ! -f "$HARNESS_ROOT/bench/target/classpath.txt" ] || [ "${HARNESS_REBUILD:-false}" = true ]; then
    (cd "$HARNESS_ROOT" && ./mvnw -B -ntp -o -q package -pl bench -am -DskipTests) >&2
  fi
  # VLLTR_BENCH_CP_PREPEND: classes that shadow the build's (e.g. the previous version of a class, for a before/after)
  BENCH_CP="${VLLTR_BENCH_CP_PREPEND:+$VLLTR_BENCH_CP_PREPEND:}$HARNESS_ROOT/bench/target/classes:$(cat "$HARNESS_ROOT/bench/target/classpath.txt")"
}

# JVM options pinning DJL's PyTorch to N intra-op threads and one inter-op thread (as the peer pins torch).
harness_djl_threads() {
  echo "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$1 -Dai.djl.pytorch.num_interop_threads=1"
}

# harness_compare LABEL METRIC SIDE_A FN_A SIDE_B FN_B [lower]
# Runs H_ROUNDS rounds of FN_A then FN_B (shell functions whose last stdout line is the side's JSON result with field
# METRIC), checks the load before each round, records one JSON line per side and round, and prints the summary.
# Pass "lower" when a smaller METRIC is better (e.g. milliseconds). Returns 0; exit 3 when refused.
harness_compare() {
  local label="$1" metric="$2" side_a="$3" fn_a="$4" side_b="$5" fn_b="$6" better="${7:-higher}"
  local slug stamp rec r side fn before after out
  slug=$(echo "$label" | tr -cs 'A-Za-z0-9' '-' | sed 's/-$//')
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  rec="$H_OUT/$slug-$stamp.jsonl"
  : > "$rec"
  echo "== $label: $H_ROUNDS interleaved rounds ($side_a, $side_b, …); load $(harness_load) on $(harness_cores) cores"
  for r in $(seq 1 "$H_ROUNDS"); do
    for side in "$side_a" "$side_b"; do
      fn=$fn_a; [ "$side" = "$side_b" ] && fn=$fn_b
      harness_check_load
      before=$(harness_load)
      out=$($fn | tail -1)
      after=$(harness_load)
      echo "round $r $side (load $before -> $after): $out"
      "$HARNESS_PY" - "$label" "$metric" "$better" "$side" "$r" "$before" "$after" "$(harness_cores)" "$H_FORCE" \
          "$out" "$H_OTHER_BUSY" >> "$rec" <<'PY'
import json, sys
label, metric, better, side, r, before, after, cores, forced, out, other_busy = sys.argv[1:]
try:
    result = json.loads(out)
except json.JSONDecodeError:
    sys.exit(f"harness: side {side} round {r} did not end with a JSON line: {out!r}")
if metric not in result:
    sys.exit(f"harness: side {side} round {r}: no field {metric!r} in {out!r}")
print(json.dumps({"label": label, "metric": metric, "higher_is_better": better != "lower", "side": side,
                  "round": int(r), "load_before": [float(x) for x in before.split()],
                  "load_after": [float(x) for x in after.split()], "cores": int(cores),
                  "other_busy_before": float(other_busy), "forced": forced == "true", "result": result}))
PY
    done
  done
  "$HARNESS_PY" "$HARNESS_ROOT/bench/lib/benchstat.py" summarize "$rec" --json "${rec%.jsonl}.json"
  echo "  rounds: $rec"
}

# harness_options strict|pass --opt=var ... -- ARGS...: a bench's own options (what harness_parse left in H_ARGS).
# Sets each named shell variable from its option's value; -h/--help prints the script's usage (lines $H_USAGE_LINES
# of "$0", when set) and the common options, then exits 0; anything else goes, in order, into H_REST (pass) or is
# refused with exit 2 (strict).
harness_options() {
  local _ho_mode="$1"; shift
  local -A _ho_var=()
  while [ "$1" != -- ]; do _ho_var[${1%%=*}]=${1#*=}; shift; done
  shift
  H_REST=()
  while [ $# -gt 0 ]; do
    if [ -n "$1" ] && [ -n "${_ho_var[$1]+set}" ]; then
      [ $# -ge 2 ] || { echo "$(basename "$0"): $1 expects a value" >&2; exit 2; }
      printf -v "${_ho_var[$1]}" '%s' "$2"; shift 2
    elif [ -n "${H_USAGE_LINES:-}" ] && { [ "$1" = -h ] || [ "$1" = --help ]; }; then
      sed -n "$H_USAGE_LINES" "$0"; harness_usage_common; exit 0
    elif [ "$_ho_mode" = strict ]; then
      echo "$(basename "$0"): unknown option '$1' (see --help)" >&2; exit 2
    else
      H_REST+=("$1"); shift
    fi
  done
}

# harness_step_bench NAME JAVA_CLASS PEER_SCRIPT ARGS...: the DJL-vs-peer comparison of one training step at each of
# --threads "1 2" (default), --steps 30; other options go to both sides. Used by run-cvlp.sh, run-lgr.sh, ….
harness_step_bench() {
  local name="$1" cls="$2" peer="$3"; shift 3
  local threads="1 2" steps=30 extra=() t
  harness_options pass --threads=threads --steps=steps -- "$@"
  extra=("${H_REST[@]+"${H_REST[@]}"}")
  cd "$HARNESS_ROOT"
  harness_peer_python
  harness_bench_classpath
  export DJL_OFFLINE=true OPT_OUT_TRACKING=true
  for t in $threads; do
    _h_java() {
      # shellcheck disable=SC2046
      "${H_DJL_ENV[@]}" java $(harness_djl_threads "$t") ${HARNESS_JVM_OPTS:-} \
           -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" "$cls" --steps "$steps" "${extra[@]+"${extra[@]}"}"
    }
    _h_peer() { "${H_PEER_ENV[@]}" "$PEER_PY" "$peer" --threads "$t" --steps "$steps" "${extra[@]+"${extra[@]}"}"; }
    harness_compare "$name $t thread(s)" images_per_s djl _h_java torch _h_peer
  done
}
