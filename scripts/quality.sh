#!/usr/bin/env bash
# The quality gates CI runs after the test suite: clang-format and clang-tidy clean, a Release
# build with warnings as errors whose install host programs are built against, the whole
# suite under AddressSanitizer + UndefinedBehaviorSanitizer, its threaded tests under
# ThreadSanitizer, and each libFuzzer target for FUZZ_SECONDS (default 15: the ten targets, one
# per core, then take a minute; CI has 45 minutes for all of it). Each step says how long it took.
#   scripts/quality.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

"$root/scripts/setup.sh" >/dev/null
packages=(clang-14 libclang-rt-14-dev clang-tidy clang-format)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

step_started=$SECONDS
step() {
  if [ -n "${step_name:-}" ]; then echo "-- $step_name: $((SECONDS - step_started)) s"; fi
  step_name=$1
  step_started=$SECONDS
  echo
  echo "== $step_name"
}

step "clang-format"
git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run --Werror
echo "clean"

# The suite ran on the RelWithDebInfo build; a Release build has other optimisations and so
# other warnings (GCC's -Wrestrict). Its install is checked as a host program would use it.
step "Release build (-Werror), installed and used by host programs"
cmake --preset release >/dev/null
cmake --build build-release --parallel "$(nproc)" >/dev/null
"$root/tests/install/check_install.sh" "$root/build-release" "$root" | tail -n 1

# The install test is left out of the sanitized runs: it builds the examples against the
# installed (sanitized) library with an ordinary compiler, which cannot link it.
step "AddressSanitizer + UndefinedBehaviorSanitizer: the whole suite"
cmake --preset asan >/dev/null
cmake --build build-asan --parallel "$(nproc)" >/dev/null
ctest --test-dir build-asan --output-on-failure --parallel "$(nproc)" -E '^install\.' | tail -n 6

# The tsan preset builds the test executables that run threads (tests/CMakeLists.txt says which
# do not). The tokenizer's agreement with tiktoken, every code point in every context, runs on
# one thread for a minute under TSan: it runs under ASan + UBSan and in the plain suite.
step "ThreadSanitizer: the suite's threaded tests"
cmake --preset tsan >/dev/null
cmake --build build-tsan --parallel "$(nproc)" >/dev/null
# OpenSSL's own accesses during concurrent handshakes: scripts/tsan.supp says why.
TSAN_OPTIONS="suppressions=$root/scripts/tsan.supp${TSAN_OPTIONS:+ $TSAN_OPTIONS}" \
ctest --test-dir build-tsan --output-on-failure --parallel "$(nproc)" \
  -E '^install\.|^Encodings/Agreement\.' | tail -n 6

step "fuzzing, ${FUZZ_SECONDS:-15} s per target"
"$root/scripts/fuzz.sh" "${FUZZ_SECONDS:-15}"

step "clang-tidy"
# A build in unity batches lists only the batches in its compile database: clang-tidy is given
# one entry per source file instead.
python3 "$root/scripts/per_file_compile_db.py" build build/clang-tidy
grep -q '/core/src/chat/call.cpp"' build/clang-tidy/compile_commands.json ||
  { echo "clang-tidy: the core's sources are not in the compile database"; exit 1; }
run-clang-tidy-14 -p build/clang-tidy -quiet -j "$(nproc)" -extra-arg=-Wno-ambiguous-reversed-operator \
  "$root/(sdk|core|capi|python|plugins|mock|apps|kit)/.*\.cpp$" >build/clang-tidy.log 2>&1 ||
  { grep -E "warning:|error:" build/clang-tidy.log | head -50; exit 1; }
if grep -qE "warning:|error:" build/clang-tidy.log; then
  grep -E "warning:|error:" build/clang-tidy.log | head -50
  exit 1
fi
echo "clean"
step "done"
