#include "llmrt/kit/cases.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "json_diff.h"
#include "llmrt/kit/replay.h"
#include "llmrt/sdk/json.h"
#include "llmrt/sdk/json_writer.h"

namespace llmrt::kit {
namespace fs = std::filesystem;
namespace {

// A recorded body: C.body, or named after its framing.
constexpr std::string_view kBodies[] = {".body", ".sse", ".ndjson"};
constexpr std::string_view kRequest = ".request.json";

// A case's failure, thrown inside run_case and turned into its outcome.
struct Failure {
  std::string difference;
};

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

std::optional<std::string> read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw Failure{file.filename().string() + ": cannot write it"};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

json::Document parse_golden(const std::string& text, const std::string& where) {
  std::string error;
  auto doc = json::Document::try_parse(text, &error);
  if (!doc) throw Failure{where + ": not JSON: " + error};
  return std::move(*doc);
}

// C.status: the status on the first line, then "Name: value" header lines.
void read_status(const fs::path& file, RecordedResponse& response) {
  auto text = read_file(file);
  if (!text) return;
  const std::vector<std::string> lines = lines_of(*text);
  const std::string name = file.filename().string();
  try {
    std::size_t used = 0;
    response.status = lines.empty() ? 0 : std::stoi(lines[0], &used);
    if (lines.empty() || used != lines[0].size() || response.status < 100 ||
        response.status > 599) {
      throw std::invalid_argument("status");
    }
  } catch (const std::exception&) {
    throw Failure{name + ":1: expected an HTTP status (100-599)"};
  }
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::size_t colon = lines[i].find(':');
    if (colon == std::string::npos) {
      throw Failure{name + ":" + std::to_string(i + 1) + ": expected a header \"Name: value\""};
    }
    std::string value = lines[i].substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    response.headers.emplace_back(lines[i].substr(0, colon), value);
  }
}

std::string golden_events(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

void check_events(const std::string& golden_name, const std::string& golden,
                  const std::vector<std::string>& got) {
  const std::vector<std::string> expected = lines_of(golden);
  for (std::size_t i = 0; i < std::max(expected.size(), got.size()); ++i) {
    const std::string where = golden_name + ":" + std::to_string(i + 1);
    if (i >= expected.size()) throw Failure{where + ": expected no more events, got " + got[i]};
    if (i >= got.size())
      throw Failure{where + ": expected " + expected[i] + ", got no more events"};
    json::Document want = parse_golden(expected[i], where);
    auto have = json::Document::try_parse(got[i]);
    if (!have || json_difference(want.root(), have->root())) {
      throw Failure{where + ": expected " + expected[i] + ", got " + got[i]};
    }
  }
}

std::string http_json(const HttpRequest& http, const json::Document* golden) {
  json::JsonWriter w;
  w.begin_object().field("method", http.method).field("url", http.url);
  w.key("headers").begin_object();
  for (const auto& [name, value] : http.headers) {
    // A golden file that lists some headers keeps listing just those.
    if (golden && !golden->root()["headers"][name].exists()) continue;
    w.field(name, value);
  }
  w.end_object();
  if (json::Document::try_parse(http.body)) {
    w.key("body").raw(http.body);
  } else {
    w.field("body", http.body);
  }
  w.key("warnings").begin_array();
  for (const std::string& warning : http.warnings) w.string(warning);
  w.end_array().end_object();
  return w.take() + "\n";
}

void check_http(const std::string& golden_name, const json::Document& golden,
                const HttpRequest& http) {
  const json::Value want = golden.root();
  auto fail = [&](const std::string& what) { throw Failure{golden_name + ": " + what}; };
  if (auto method = want["method"].str("POST"); method != http.method) {
    fail("method: expected " + std::string(method) + ", got " + http.method);
  }
  if (want["url"].str() != http.url) {
    fail("url: expected " + std::string(want["url"].str()) + ", got " + http.url);
  }
  for (auto [name, value] : want["headers"].members()) {
    const std::string* got = find_header(http.headers, name);
    if (!got)
      fail("headers." + std::string(name) + ": expected " + std::string(value.str()) +
           ", got no such header");
    if (*got != value.str()) {
      fail("headers." + std::string(name) + ": expected " + std::string(value.str()) + ", got " +
           *got);
    }
  }
  json::Value body = want["body"];
  if (body.is_string()) {
    if (body.str() != http.body)
      fail("body: expected " + std::string(body.raw()) + ", got " + http.body);
  } else if (body.exists()) {
    auto got = json::Document::try_parse(http.body);
    if (!got) fail("body: expected JSON, got " + http.body);
    if (auto d = json_difference(body, got->root(), "body")) fail(*d);
  }
  if (want["warnings"].exists()) {
    std::size_t i = 0;
    for (json::Value w : want["warnings"].items()) {
      if (i >= http.warnings.size() || w.str() != http.warnings[i]) {
        fail("warnings[" + std::to_string(i) + "]: expected " + std::string(w.raw()) + ", got " +
             (i < http.warnings.size() ? http.warnings[i] : "none"));
      }
      ++i;
    }
    if (i < http.warnings.size()) fail("warnings: unexpected " + http.warnings[i]);
  }
}

void run_request_check(const Provider& provider, const fs::path& dir, const std::string& name,
                       const CaseRequest& request, const RunOptions& options,
                       CaseOutcome& outcome) {
  const std::string golden_name = name + ".http.json";
  HttpRequest http;
  try {
    http = provider.build_request(request.request, request.credentials);
  } catch (const Error& e) {
    throw Failure{name + kRequest.data() + ": build_request threw " + e.what()};
  }
  const auto golden_text = read_file(dir / golden_name);
  std::optional<json::Document> golden;
  if (golden_text) golden = parse_golden(*golden_text, golden_name);
  if (options.update) {
    write_file(dir / golden_name, http_json(http, golden ? &*golden : nullptr));
    outcome.updated.push_back(golden_name);
    return;
  }
  if (!golden) throw Failure{golden_name + ": missing (write it, or run with --update)"};
  check_http(golden_name, *golden, http);
}

}  // namespace

std::vector<std::string> case_names(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw Error(ErrorKind::not_found, "no folder of test cases at " + dir.string());
  }
  std::set<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    for (std::string_view tail : kBodies) {
      if (ends_with(file, tail) && file.size() > tail.size()) {
        names.insert(file.substr(0, file.size() - tail.size()));
      }
    }
    if (ends_with(file, kRequest) && file.size() > kRequest.size()) {
      names.insert(file.substr(0, file.size() - kRequest.size()));
    }
  }
  return {names.begin(), names.end()};
}

CaseOutcome run_case(const Provider& provider, const fs::path& dir, const std::string& name,
                     const RunOptions& options) {
  CaseOutcome outcome{name};
  try {
    CaseRequest request{.request = {.stream = true}, .credentials = {"sk-test", ""}};
    const auto request_text = read_file(dir / (name + std::string(kRequest)));
    if (request_text) {
      try {
        request = parse_case_request(*request_text);
      } catch (const Error& e) {
        throw Failure{name + std::string(kRequest) + ": " + e.what()};
      }
    }
    std::optional<std::string> body;
    std::string body_name;
    for (std::string_view tail : kBodies) {
      if (body) break;
      body_name = name + std::string(tail);
      body = read_file(dir / body_name);
    }
    const bool has_http_golden = fs::exists(dir / (name + ".http.json"));
    if (request_text && (has_http_golden || !body)) {
      run_request_check(provider, dir, name, request, options, outcome);
    }
    if (body) {
      RecordedResponse response{.request = request.request, .body = *body};
      read_status(dir / (name + ".status"), response);
      SplitCheck check = replay_every_split(provider, response);
      if (check.disagreement) throw Failure{body_name + ": " + *check.disagreement};
      const std::string golden_name = name + ".events.jsonl";
      if (options.update) {
        write_file(dir / golden_name, golden_events(check.whole.lines));
        outcome.updated.push_back(golden_name);
      } else {
        auto golden = read_file(dir / golden_name);
        if (!golden) throw Failure{golden_name + ": missing (write it, or run with --update)"};
        check_events(golden_name, *golden, check.whole.lines);
      }
    }
    outcome.passed = true;
  } catch (const Failure& f) {
    outcome.difference = f.difference;
  }
  return outcome;
}

int run_cases(const Provider& provider, const fs::path& dir, const RunOptions& options,
              std::ostream& out, std::ostream& err) {
  std::vector<std::string> names;
  try {
    names = case_names(dir);
  } catch (const Error& e) {
    err << e.info().message << "\n";
    return 2;
  }
  if (names.empty()) {
    err << "no test cases in " << dir.string()
        << " (a case is a NAME.body, NAME.sse, NAME.ndjson or NAME.request.json)\n";
    return 2;
  }
  std::size_t failed = 0;
  for (const std::string& name : names) {
    CaseOutcome outcome = run_case(provider, dir, name, options);
    if (!outcome.passed) {
      ++failed;
      out << "FAIL " << name << ": " << outcome.difference << "\n";
    } else if (!outcome.updated.empty()) {
      out << "ok   " << name << " (wrote";
      for (const std::string& file : outcome.updated) out << " " << file;
      out << ")\n";
    } else {
      out << "ok   " << name << "\n";
    }
  }
  out << names.size() << " cases, " << names.size() - failed << " passed, " << failed
      << " failed\n";
  out.flush();
  return failed == 0 ? 0 : 1;
}

int run_cases_main(const Provider& provider, int argc, char** argv) {
  const bool update = argc == 3 && std::string_view(argv[2]) == "--update";
  if (argc != 2 && !update) {
    std::cerr << (argc > 0 ? argv[0] : "plugin_cases") << ": usage: DIR [--update]\n";
    return 2;
  }
  return run_cases(provider, argv[1], {.update = update}, std::cout, std::cerr);
}

}  // namespace llmrt::kit
