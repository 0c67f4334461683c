#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "batch_progress.h"
#include "batch_records.h"
#include "commands.h"
#include "llmrt/core/runtime.h"
#include "local_input.h"
#include "model_options.h"
#include "number_checks.h"
#include "output_file.h"
#include "terminal_text.h"

namespace llmrt::cli {
namespace {

struct BatchOptions {
  ModelOptions model;
  std::string input;
  std::string output;
  std::size_t concurrency = 20;
  bool retry_failed = false;
};

// Rewrites the output without the lines that will run again (failed items with
// --retry-failed) and without a line cut off by a crash; atomically, by renaming. Returns the
// write error, if any (the output is then left as it was).
std::string rewrite_output(const std::string& path, const PreviousOutput& previous,
                           bool drop_failed) {
  std::string temp = path + ".tmp";
  {
    OutputFile out(temp, OutputFile::Mode::truncate);
    for (const PreviousOutput::Line& line : previous.lines) {
      if (drop_failed && !line.succeeded) continue;
      if (!out.write_line(line.text)) break;
    }
    if (!out.close()) {
      std::filesystem::remove(temp);
      return out.error();
    }
  }
  std::filesystem::rename(temp, path);
  return {};
}

// A write to the output failed: stop, say what was lost. Every line in the output is whole,
// so the same command resumes the batch once there is room.
int stopped_by(const OutputFile& out) {
  std::cerr << "llmrt batch: " << out.error()
            << "; stopped (the output holds whole lines only: run the same command again to "
               "resume)\n";
  return kExitCallFailed;
}

core::ParamOverrides merged(const core::ParamOverrides& common, const core::ParamOverrides& item) {
  core::ParamOverrides all = common;
  for (const auto& [key, json] : item.values()) all.set_json(key, json);
  return all;
}

int run_batch(const BatchOptions& o, const GlobalOptions& global) {
  core::ModelConfig config = o.model.to_config();
  core::ParamOverrides common = o.model.overrides();
  // Made before the output is touched: a configuration error (an unknown provider or option)
  // leaves the files as they were.
  core::Runtime runtime(o.model.plugin_paths(global.plugin_paths));
  core::ChatModel model = runtime.model(config);

  PreviousOutput previous = read_previous_output(o.output);
  std::set<std::string> done = previous.succeeded;
  if (!o.retry_failed) done.insert(previous.failed.begin(), previous.failed.end());
  if (previous.had_partial_line || (o.retry_failed && !previous.failed.empty())) {
    if (std::string error = rewrite_output(o.output, previous, o.retry_failed); !error.empty()) {
      std::cerr << "llmrt batch: " << error << "\n";
      return kExitCallFailed;
    }
  }

  LineReader in(o.input);
  OutputFile out(o.output, OutputFile::Mode::append);
  std::vector<core::BatchItem> items;
  std::vector<std::string> ids;
  std::map<std::string, std::size_t> first_line;
  std::size_t skipped = 0, bad_lines = 0;
  for (LineReader::Line text; in.next(text);) {
    const std::size_t number = text.number;
    BatchInputLine line;
    if (text.too_long) {
      line.custom_id = "line-" + std::to_string(number);
      line.problem =
          "the line is longer than the limit of " + std::to_string(kMaxLocalInputBytes) + " bytes";
    } else {
      if (text.text.find_first_not_of(" \t\r") == std::string::npos) continue;
      line = parse_batch_line(text.text, number);
    }
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
      std::cerr << "llmrt batch: " << o.input << ":" << number << ": " << printable(line.problem)
                << "\n";
      if (!out.write_line(
              error_record(line.custom_id, Error(ErrorKind::bad_request, line.problem), number))) {
        return stopped_by(out);
      }
      ++bad_lines;
      continue;
    }
    line.item.overrides = merged(common, line.item.overrides);
    items.push_back(std::move(line.item));
    ids.push_back(std::move(line.custom_id));
  }

  BatchProgress progress(std::cerr, items.size(), isatty(STDERR_FILENO) != 0);
  core::BatchOptions options;
  options.concurrency = o.concurrency;
  options.cancel = std::make_shared<core::CancelToken>();
  options.on_item = [&](std::size_t i, const core::BatchOutcome& outcome) {
    if (out.failed()) return;  // stopping: the items still in flight end as cancelled
    if (!out.write_line(outcome.ok() ? response_record(ids[i], *outcome.result)
                                     : error_record(ids[i], *outcome.error))) {
      options.cancel->cancel();
      return;
    }
    progress.item_done(outcome.ok());
  };
  model.chat_batch(items, options);
  if (!out.close()) return stopped_by(out);
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
  cmd->add_option("--concurrency", o->concurrency,
                  "Conversations in flight at once (at most " +
                      std::to_string(core::kMaxBatchConcurrency) + ")")
      // More is taken and capped (core::BatchOptions): only the bound of the type is refused.
      ->check(whole_number(1, 1'000'000))
      ->capture_default_str();
  cmd->add_flag("--retry-failed", o->retry_failed,
                "Run again the items whose output is an error (they are replaced)");
  return {cmd, [o, &global] { return run_batch(*o, global); }};
}

}  // namespace llmrt::cli
