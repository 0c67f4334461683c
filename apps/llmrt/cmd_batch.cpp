#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "batch_progress.h"
#include "batch_records.h"
#include "commands.h"
#include "llmrt/core/runtime.h"
#include "model_options.h"

namespace llmrt::cli {
namespace {

struct BatchOptions {
  ModelOptions model;
  std::string input;
  std::string output;
  std::size_t concurrency = 20;
  bool retry_failed = false;
};

// Appends one line per call and flushes it at once: a crash or Ctrl-C loses nothing that
// finished. The buffer holds a whole line, so each line is one write().
class LineAppender {
 public:
  explicit LineAppender(const std::string& path) : file_(std::fopen(path.c_str(), "ab")) {
    if (file_ == nullptr) throw Error(ErrorKind::bad_request, "cannot write " + path);
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  }
  ~LineAppender() { std::fclose(file_); }
  LineAppender(const LineAppender&) = delete;
  LineAppender& operator=(const LineAppender&) = delete;

  void write(const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fputc('\n', file_);
    std::fflush(file_);
  }

 private:
  std::FILE* file_;
};

// Rewrites the output without the lines that will run again (failed items with
// --retry-failed) and without a line cut off by a crash; atomically, by renaming.
void rewrite_output(const std::string& path, const PreviousOutput& previous, bool drop_failed) {
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorKind::bad_request, "cannot write " + temp);
    for (const PreviousOutput::Line& line : previous.lines) {
      if (drop_failed && !line.succeeded) continue;
      out << line.text << "\n";
    }
  }
  std::filesystem::rename(temp, path);
}

core::ParamOverrides merged(const core::ParamOverrides& common, const core::ParamOverrides& item) {
  core::ParamOverrides all = common;
  for (const auto& [key, json] : item.values()) all.set_json(key, json);
  return all;
}

int run_batch(const BatchOptions& o, const GlobalOptions& global) {
  core::ModelConfig config = o.model.to_config();
  core::ParamOverrides common = o.model.overrides();

  PreviousOutput previous = read_previous_output(o.output);
  std::set<std::string> done = previous.succeeded;
  if (!o.retry_failed) done.insert(previous.failed.begin(), previous.failed.end());
  if (previous.had_partial_line || (o.retry_failed && !previous.failed.empty())) {
    rewrite_output(o.output, previous, o.retry_failed);
  }

  std::ifstream in(o.input);
  if (!in) throw Error(ErrorKind::bad_request, "cannot read " + o.input);
  LineAppender out(o.output);
  std::vector<core::BatchItem> items;
  std::vector<std::string> ids;
  std::map<std::string, std::size_t> first_line;
  std::size_t skipped = 0, bad_lines = 0;
  std::string text;
  for (std::size_t number = 1; std::getline(in, text); ++number) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    BatchInputLine line = parse_batch_line(text, number);
    if (line.problem.empty()) {
      auto [it, fresh] = first_line.emplace(line.custom_id, number);
      if (!fresh) {
        // Reported under the line's own name: the id belongs to its first line.
        line.problem =
            "custom_id '" + line.custom_id + "' repeats line " + std::to_string(it->second);
        line.custom_id = "line-" + std::to_string(number);
      }
    }
    if (done.count(line.custom_id) != 0) {
      ++skipped;
      continue;
    }
    if (!line.problem.empty()) {
      std::cerr << "llmrt batch: " << o.input << ":" << number << ": " << line.problem << "\n";
      out.write(error_record(line.custom_id, Error(ErrorKind::bad_request, line.problem), number));
      ++bad_lines;
      continue;
    }
    line.item.overrides = merged(common, line.item.overrides);
    items.push_back(std::move(line.item));
    ids.push_back(std::move(line.custom_id));
  }

  core::Runtime runtime({global.plugin_paths.begin(), global.plugin_paths.end()});
  core::ChatModel model = runtime.model(config);
  BatchProgress progress(std::cerr, items.size(), isatty(STDERR_FILENO) != 0);
  core::BatchOptions options;
  options.concurrency = o.concurrency;
  options.on_item = [&](std::size_t i, const core::BatchOutcome& outcome) {
    out.write(outcome.ok() ? response_record(ids[i], *outcome.result)
                           : error_record(ids[i], *outcome.error));
    progress.item_done(outcome.ok());
  };
  model.chat_batch(items, options);
  progress.finish(skipped);
  return progress.failed() + bad_lines == 0 ? kExitOk : kExitCallFailed;
}

}  // namespace

Command add_batch_command(CLI::App& app, const GlobalOptions& global) {
  auto o = std::make_shared<BatchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "batch", "Run a JSONL file of conversations; a rerun resumes where the last one stopped");
  o->model.add_to(*cmd);
  cmd->add_option("--input", o->input, "JSONL of {custom_id, messages, params?}")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--output", o->output,
                  "JSONL of {custom_id, response} or {custom_id, error}; appended as items end")
      ->required();
  cmd->add_option("--concurrency", o->concurrency, "Conversations in flight at once")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--retry-failed", o->retry_failed,
                "Run again the items whose output is an error (they are replaced)");
  return {cmd, [o, &global] { return run_batch(*o, global); }};
}

}  // namespace llmrt::cli
