#pragma once

// A folder of test cases for a provider plugin, checked against golden files that a plugin
// author writes by hand or regenerates (update). For a case named C:
//
//   C.body           a recorded response body, bytes as on the wire (SSE, NDJSON, a whole
//                    JSON reply, an error page: anything); also named C.sse or C.ndjson
//   C.status         optional: the first line is the HTTP status (default 200), the next lines
//                    are response headers "Name: value". Not 2xx: the body is an error body,
//                    read with classify_error
//   C.request.json   optional: the ChatRequest (below); its "stream" decides whether a 2xx
//                    body is a stream (new_stream_decoder) or a whole reply (parse_response).
//                    Without it the body is a stream of a request {"stream": true}
//   C.events.jsonl   golden: the `--events` lines (event_lines.h) a call that received the
//                    body prints. The body is replayed whole, one byte at a time and split at
//                    every offset; all must give the same events, and these
//   C.http.json      golden: what build_request renders for C.request.json:
//                    {"method","url","headers":{name: value},"body":<JSON>,"warnings":[…]}.
//                    Only the headers listed are checked (names case-insensitively); the body
//                    is compared as JSON (member order and spacing do not matter); "warnings"
//                    is checked when present
//
// A case is every C with a body file or a C.request.json. C.request.json holds a ChatRequest in
// the OpenAI style:
//   {"model", "api_base", "stream", "options": {k: v},
//    "credentials": {"api_key", "organization"},        (default api_key "sk-test")
//    "messages": [{"role", "content": text | [{"type":"text","text"},
//                                              {"type":"image_url","image_url":{"url","detail"}}],
//                  "name", "tool_call_id",
//                  "tool_calls": [{"id","type":"function","function":{"name","arguments"}}],
//                  "reasoning": [{"text","signature","redacted"}]}],
//    "params": {"max_new_tokens","temperature","top_p","top_k","repetition_penalty",
//               "stop_words","seed","json_mode",
//               "tools": [{"type":"function","function":{"name","description","parameters"}}],
//               "tool_choice": "auto"|"none"|"required"|{"type":"function","function":{"name"}},
//               any other key: an extra, its JSON value passed on}}
// An image given as a data: URL ("data:image/png;base64,…") becomes ImagePart{media_type, data}.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "llmrt/sdk/provider.h"

namespace llmrt::kit {

struct CaseOutcome {
  std::string name;
  bool passed = false;
  // The first difference: "C.events.jsonl:3: expected …, got …"; empty when passed.
  std::string difference;
  std::vector<std::string> updated;  // the golden files written (update)
};

struct RunOptions {
  // Write the golden files from what the provider gives instead of checking them (a case whose
  // body gives different events in different splits still fails).
  bool update = false;
};

// The case names in `dir`, sorted. Throws Error (not_found) when `dir` is no folder.
std::vector<std::string> case_names(const std::filesystem::path& dir);

// Runs one case. A file that cannot be read or parsed is that case's failure, naming it.
CaseOutcome run_case(const Provider& provider, const std::filesystem::path& dir,
                     const std::string& name, const RunOptions& options = {});

// Runs every case in `dir`, printing one line per case on `out` ("ok   C", "FAIL C: …") and a
// summary. Returns 0 when all passed, 1 when some failed, 2 when `dir` is no folder or holds
// no case (said on `err`): the exit status of `llmrt test-plugin`.
int run_cases(const Provider& provider, const std::filesystem::path& dir, const RunOptions& options,
              std::ostream& out, std::ostream& err);

// The main() of a plugin's test program: `PROGRAM DIR [--update]`, run_cases on stdout and
// stderr; 2 on other arguments.
int run_cases_main(const Provider& provider, int argc, char** argv);

// The ChatRequest a C.request.json holds, with the credentials to render it with. Throws Error
// (bad_request) naming the file's member that is wrong.
struct CaseRequest {
  ChatRequest request;
  Credentials credentials;
};
CaseRequest parse_case_request(std::string_view json_text);

}  // namespace llmrt::kit
