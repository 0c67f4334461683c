#!/usr/bin/env bash
# Installs llmrt into a fresh prefix and uses it as an outsider would: builds the host
# application (CMake package, and pkg-config), a C program on the C API (llmrt::c, llmrt-c.pc)
# and the installed plugin template
# (share/llmrt/plugin_template) against the prefix, and runs them against the installed mock
# server. Usage: check_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "check_install: $*" >&2; exit 1; }

prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null

echo "== the installed command finds the installed plugins without configuration"
plugins=$("$prefix/bin/llmrt" plugins)
for name in openai qwen internlm anthropic gemini ollama; do
  grep -q "^$name .*$prefix/lib/llmrt/plugins/libllmrt_$name.so" <<<"$plugins" ||
    fail "plugin $name not found in the prefix: $plugins"
done

echo "== host application against the CMake package"
cmake -S "$source/examples/host_app" -B "$work/host" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/host" --parallel 2 >/dev/null

echo "== host application against pkg-config"
# As the README says, and nothing more: no rpath, library path or plugin path given by hand.
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
g++ "$source/examples/host_app/main.cpp" $(pkg-config --cflags --libs llmrt) -o "$work/host_app_pc"

echo "== host program in the README's style, -Wall -Wextra -Wpedantic -Werror: CMake, pkg-config"
cmake -S "$source/tests/install/host_program" -B "$work/strict" -DCMAKE_PREFIX_PATH="$prefix" \
  >/dev/null
cmake --build "$work/strict" --parallel 2 >/dev/null
g++ -Wall -Wextra -Wpedantic -Werror "$source/tests/install/host_program/main.cpp" \
  $(pkg-config --cflags --libs llmrt) -o "$work/host_program_pc"

echo "== a C program against the C API, -std=c11 -Wall -Wextra -Werror -pedantic: CMake, pkg-config"
cmake -S "$source/tests/install/c_host" -B "$work/c_host" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/c_host" --parallel 2 >/dev/null
gcc -std=c11 -Wall -Wextra -Werror -pedantic "$source/examples/c/stream_chat.c" \
  $(pkg-config --cflags --libs llmrt-c) -o "$work/c_host_pc"
unset PKG_CONFIG_PATH

echo "== the installed command finds the installed rank files"
[ -f "$prefix/share/llmrt/tokenizers/o200k_base.tiktoken" ] || fail "no installed o200k_base rank file"
tokens=$(env -u LLMRT_TOKENIZER_PATH "$prefix/bin/llmrt" tokenize --model gpt-4o "hello world")
[ "$tokens" = "24912 2375" ] || fail "tokenize gave '$tokens'"

echo "== the installed plugin template, built out of tree against the installed SDK"
template="$prefix/share/llmrt/plugin_template"
[ -f "$template/CMakeLists.txt" ] || fail "no plugin template in $template"
diff -r --exclude='build*' --exclude='.*' "$source/examples/plugin_template" "$template" >/dev/null ||
  fail "the installed template differs from examples/plugin_template"
cmake -S "$template" -B "$work/plugin" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/plugin" --parallel 2 >/dev/null
plugin="$work/plugin/libllmrt_cohere_example.so"
env -u LLMRT_PLUGIN_PATH -u LLMRT_LOG "$prefix/bin/llmrt" --plugin "$plugin" plugins \
  >"$work/plugins.out" 2>"$work/plugins.err"
grep -q "^cohere_example .*$plugin" "$work/plugins.out" ||
  fail "the template plugin did not load: $(cat "$work/plugins.out" "$work/plugins.err")"
[ ! -s "$work/plugins.err" ] || fail "llmrt plugins reported: $(cat "$work/plugins.err")"

echo "== the template's cases: its test program on the installed kit, and llmrt test-plugin"
# ctest runs both: plugin_cases (llmrt::plugin_kit from the prefix) and the installed llmrt's
# test-plugin on the shared library.
ctest --test-dir "$work/plugin" --output-on-failure >"$work/ctest.out" 2>&1 ||
  fail "the template's cases failed: $(cat "$work/ctest.out")"
grep -q "2 tests passed\|100% tests passed, 0 tests failed out of 2" "$work/ctest.out" ||
  fail "the template's ctest did not run both case runners: $(cat "$work/ctest.out")"
out=$("$prefix/bin/llmrt" test-plugin "$plugin" "$template/cases") ||
  fail "llmrt test-plugin on the template failed: $out"
grep -q "^ok   text_stream$" <<<"$out" || fail "llmrt test-plugin printed: $out"
grep -q "^ok   stream_error$" <<<"$out" || fail "llmrt test-plugin printed: $out"

echo "== host applications against the installed mock server"
"$prefix/bin/llmrt" mock-server --port 0 >"$work/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/mock.log" && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/mock.log" | head -n 1)
[ -n "$url" ] || fail "the mock server did not start: $(cat "$work/mock.log")"
# Run as a user would: nothing in the environment points at the prefix.
bare=(env -u LD_LIBRARY_PATH -u LLMRT_PLUGIN_PATH -u LLMRT_LOG -u LLMRT_TOKENIZER_PATH)
for app in "$work/host/host_app" "$work/host_app_pc"; do
  out=$("${bare[@]}" "$app" "$url/v1" sk-install-test) || fail "$app failed: $out"
  grep -q "^answer 2: Hello! This reply" <<<"$out" || fail "$app printed: $out"
  grep -q "^finish: stop" <<<"$out" || fail "$app printed: $out"
done
for app in "$work/c_host/stream_chat_c" "$work/c_host_pc"; do
  out=$("${bare[@]}" "$app" "$url/v1") || fail "$app failed: $out"
  grep -q "^Hello! This reply" <<<"$out" || fail "$app printed: $out"
  grep -q "^finish: stop" <<<"$out" || fail "$app printed: $out"
done
expected_strict='chat: Hello! This reply
batch: ok
batch: ok
rejected: auth
after reset: Hello! This reply'
for app in "$work/strict/host_program" "$work/host_program_pc"; do
  # A 401 takes the key out with a warning that is llmrt's to keep: the host's stderr is its own.
  "${bare[@]}" "$app" "$url/v1" >"$work/strict.out" 2>"$work/strict.err" ||
    fail "$app failed: $(cat "$work/strict.out" "$work/strict.err")"
  [ ! -s "$work/strict.err" ] || fail "$app: llmrt wrote to stderr: $(cat "$work/strict.err")"
  out=$(cut -c1-40 "$work/strict.out" | sed -E 's/^((chat|after reset): Hello! This reply).*/\1/')
  [ "$out" = "$expected_strict" ] || fail "$app printed: $(cat "$work/strict.out")"
done
site=$(sed -n 's/^LLMRT_PYTHON_INSTALL_DIR:STRING=//p' "$build/CMakeCache.txt")
if [ -n "$site" ] && [ -d "$prefix/$site/llmrt" ]; then
  echo "== the installed Python package, imported from elsewhere, on the installed plugins"
  out=$(cd "$work" && "${bare[@]}" PYTHONPATH="$prefix/$site" /usr/bin/python3 -c '
import sys, llmrt
assert llmrt.__file__.startswith(sys.argv[1]), llmrt.__file__
model = llmrt.Runtime().model("openai", "gpt-4o-mini", api_base=sys.argv[2], key="sk-install")
print("chat:", model.chat("hi").content[:17])
print("tokens:", model.tokenize("hello world"))
' "$prefix" "$url/v1" 2>&1) || fail "the installed Python package failed: $out"
  [ "$out" = "chat: Hello! This reply
tokens: [24912, 2375]" ] || fail "the installed Python package printed: $out"
fi
echo "check_install: all good"
