#!/usr/bin/env bash
# One AFL++ campaign on one harness target: bench/fuzz/run.sh TARGET SECONDS [EXECS]
# (SECONDS caps the wall time; EXECS, if given, ends the campaign once about that many executions are done.)
# Builds the harness, copies the build to out/TARGET/bin, instruments the assemblies the target exercises
# (SharpFuzz, the local dotnet tool of .config/dotnet-tools.json) and runs afl-fuzz in persistent mode for SECONDS,
# then prints the campaign's figures from fuzzer_stats. Needs afl++ (Debian package `afl++`); CI does not run this,
# it runs the corpus as regression tests (tests/Vc.Fuzz.Tests).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${1:?usage: run.sh TARGET SECONDS}"
seconds="${2:?usage: run.sh TARGET SECONDS [EXECS]}"
execs="${3:-}"
corpus="$here/corpus/$target"
[ -d "$corpus" ] || { echo "no corpus for target '$target' in $here/corpus" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found (apt-get install afl++)" >&2; exit 3; }

# The assemblies whose branches give this target's coverage feedback (framework assemblies cannot be rewritten).
timeout_ms=2000
case "$target" in
  base45|zlib|eu-gateway|gdhcn) assemblies="Vc.Interop.dll" ;;
  cose|hcert) assemblies="Vc.Interop.dll System.Formats.Cbor.dll" ;;
  # qr: an instrumented image decoder is tens of times slower on its pixel loops (a 44-byte PNG claiming 58713×89
  # RGB pixels took 4.3 s instrumented, well under 0.1 s not). Past AFL's timeout, AFL kills SharpFuzz's in-process
  # persistent runner and loses its fork server ("Unable to communicate with fork server"): the timeout is 20 s here.
  # ZXing stays uninstrumented (its TRY_HARDER search is the slowest part); the PNG decoder's coverage guides mutations.
  qr) assemblies="Vc.Interop.dll StbImageSharp.dll"; timeout_ms=20000 ;;
  jsonld|nquads|rdfc) assemblies="Vc.JsonLd.dll" ;;
  ethr-log) assemblies="Vc.Did.dll Nethereum.ABI.dll" ;;
  *) echo "unknown target '$target'" >&2; exit 2 ;;
esac

out="$here/out/$target"
build="$here/out/.build"
cd "$root"
dotnet tool restore >/dev/null
mkdir -p "$here/out"
# A previous campaign's findings are kept beside it, never overwritten.
[ -d "$out" ] && mv "$out" "$out.$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$out"
(
  flock 9   # campaigns started side by side share one build
  # FUZZ_REUSE_BUILD=1: campaigns run back to back on unchanged sources reuse the last build (minutes on a loaded machine).
  [ -n "${FUZZ_REUSE_BUILD:-}" ] && [ -f "$build/Vc.Fuzz.dll" ] || nice -n 10 dotnet build bench/fuzz/Vc.Fuzz -c Release -nologo -v q -clp:ErrorsOnly -o "$build" >"$out/build.log" 2>&1 \
    || { cat "$out/build.log" >&2; exit 3; }
  cp -r "$build" "$out/bin"
) 9>"$here/out/.build.lock"
for a in $assemblies; do dotnet sharpfuzz "$out/bin/$a" >/dev/null; done

export AFL_SKIP_BIN_CHECK=1            # the target is `dotnet`, instrumented by SharpFuzz, not afl-cc
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export AFL_FORKSRV_INIT_TMOUT=120000   # the .NET runtime starts before the fork-server handshake (slow under load)
nice -n 15 afl-fuzz -i "$corpus" -o "$out/findings" -t "$timeout_ms" -m none -V "$seconds" ${execs:+-E "$execs"} -- \
  dotnet "$out/bin/Vc.Fuzz.dll" "$target" >"$out/afl.log" 2>&1 || { tail -30 "$out/afl.log" >&2; exit 3; }

stats="$out/findings/default/fuzzer_stats"
get() { awk -F' *: *' -v k="$1" '$1==k {print $2}' "$stats"; }
printf 'target=%s execs=%s execs_per_sec=%s paths=%s crashes=%s hangs=%s wall_s=%s\n' \
  "$target" "$(get execs_done)" "$(get execs_per_sec)" "$(get corpus_count)" "$(get saved_crashes)" "$(get saved_hangs)" "$(get run_time)"
