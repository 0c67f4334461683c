#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "batch_openai_format.h"
#include "batch_progress.h"
#include "batch_records.h"
#include "batch_totals.h"
#include "commands.h"
#include "file_replacement.h"
#include "interrupt.h"
#include "llmrt/core/log.h"
#include "llmrt/core/metrics.h"
#include "llmrt/core/runtime.h"
#include "load_errors.h"
#include "local_input.h"
#include "metrics_file.h"
#include "model_options.h"
#include "number_checks.h"
#include "output_file.h"
#include "shell_command.h"
#include "terminal_text.h"
#include "tool_options.h"

namespace llmrt::cli {
namespace {

struct BatchOptions {
  ModelOptions model;
  ToolOptions tools;
  std::string input;
  std::string output;
  std::size_t concurrency = 20;
  bool retry_failed = false;
  std::string metrics_file;
  double metrics_interval_seconds = 10;
};

// Rewrites the output without the lines that will run again (failed items with
// --retry-failed) and without a line cut off by a crash; atomically. Returns the write error,
// if any (the output is then left as it was).
std::string rewrite_output(const std::string& path, const PreviousOutput& previous,
                           bool drop_failed) {
  return replace_file(path, [&](OutputFile& out) {
    for (const PreviousOutput::Line& line : previous.lines) {
      if (drop_failed && !line.succeeded) continue;
      if (!out.write_line(line.text)) return false;
    }
    return true;
  });
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

// The input given again as the output would be read as an earlier run's output: every item
// skipped, and the input rewritten. Compared by device and inode: another path, a symbolic or
// a hard link to it are the same file.
bool same_file(const std::string& a, const std::string& b) {
  struct stat first = {};
  struct stat second = {};
  return ::stat(a.c_str(), &first) == 0 && ::stat(b.c_str(), &second) == 0 &&
         first.st_dev == second.st_dev && first.st_ino == second.st_ino;
}

// Renders the item's request once without sending it, as chat does: a role the template does
// not know or a parameter the plugin refuses (max_tokens) is the line's error, found before
// anything is sent, with its line number.
std::string request_problem(const core::ChatModel& model, const core::BatchItem& item) {
  try {
    model.provider().build_request(model.prepare(item.messages, item.overrides, false),
                                   Credentials{});
  } catch (const Error& e) {
    return e.info().message;
  }
  return {};
}

// "line-N" for input line `number`, or "line-N.2", "line-N.3", … when an input line took it as
// its own custom_id.
std::string unused_line_id(std::size_t number, const std::map<std::string, std::size_t>& taken) {
  std::string id = "line-" + std::to_string(number);
  for (int k = 2; taken.count(id) != 0; ++k) {
    id = "line-" + std::to_string(number) + "." + std::to_string(k);
  }
  return id;
}

struct PendingItem {
  std::string custom_id;
  BatchFormat format = BatchFormat::llmrt;
};

std::string record_of(const PendingItem& p, const core::BatchOutcome& outcome,
                      const std::string& model) {
  if (p.format == BatchFormat::openai) {
    return outcome.ok() ? openai_response_record(p.custom_id, *outcome.result, model)
                        : openai_error_record(p.custom_id, *outcome.error);
  }
  return outcome.ok() ? response_record(p.custom_id, *outcome.result)
                      : error_record(p.custom_id, *outcome.error);
}

void print_resume_hint(const GlobalOptions& global) {
  bool masked = false;
  const std::string command = shell_command(global.argv, masked);
  std::cerr << "llmrt batch: to resume, run the same command again (finished items are "
               "skipped):\n  "
            << printable(command) << "\n";
  if (masked) std::cerr << "  (secrets are shown as …: give them as before)\n";
}

// The metrics file is replaced whole on each write: over the input or the output it would
// destroy them. The output need not exist yet, so its path is compared too.
bool metrics_over(const std::string& metrics, const std::string& file) {
  if (same_file(metrics, file)) return true;
  std::error_code error_a;
  std::error_code error_b;
  const auto a = std::filesystem::weakly_canonical(metrics, error_a);
  const auto b = std::filesystem::weakly_canonical(file, error_b);
  return !error_a && !error_b && a == b;
}

int run_batch(const BatchOptions& o, const GlobalOptions& global) {
  if (same_file(o.input, o.output)) {
    std::cerr << "llmrt batch: --output " << o.output << " is the same file as --input " << o.input
              << ": write the output to another file (a rerun reads it to skip "
                 "the items already done)\n";
    return kExitUsage;
  }
  for (const std::string* file : {&o.input, &o.output}) {
    if (o.metrics_file.empty() || !metrics_over(o.metrics_file, *file)) continue;
    std::cerr << "llmrt batch: --metrics " << o.metrics_file << " is the same file as "
              << (file == &o.input ? "--input " : "--output ") << *file
              << ": write the metrics to another file (it is replaced on every write)\n";
    return kExitUsage;
  }
  core::ParamOverrides common = o.model.overrides();
  o.tools.apply(common);
  Interrupt interrupt;  // before any thread starts: they inherit its signal mask
  // Made before the output is touched: a configuration error (an unknown provider or option)
  // leaves the files as they were.
  core::Runtime runtime = o.model.runtime(global.plugin_paths);
  report_load_errors(runtime.load_errors(), std::cerr);
  core::ChatModel model = o.model.open(runtime);
  PreviousOutput previous = read_previous_output(o.output);
  if (previous.foreign_line != 0) {
    std::cerr << "llmrt batch: --output " << o.output << ":" << previous.foreign_line
              << ": not an output line of llmrt batch: give a new file, or the output of an "
                 "earlier run of this batch (a rerun "
                 "reads it to skip the items already done)\n";
    return kExitUsage;
  }
  // Before the output is touched and before any call: a file that cannot be written is a usage
  // error found at once.
  std::optional<MetricsFile> metrics;
  if (!o.metrics_file.empty()) {
    metrics.emplace(o.metrics_file, [&model] { return core::to_prometheus(model.metrics()); });
  }
  std::set<std::string> done = previous.succeeded;
  if (!o.retry_failed) done.insert(previous.failed.begin(), previous.failed.end());
  if (previous.had_partial_line || previous.had_unreadable_line ||
      (o.retry_failed && !previous.failed.empty())) {
    if (std::string error = rewrite_output(o.output, previous, o.retry_failed); !error.empty()) {
      std::cerr << "llmrt batch: " << error << "\n";
      return kExitCallFailed;
    }
  }

  LineReader in(o.input, kMaxLocalInputBytes, [&interrupt] { return interrupt.interrupted(); });
  OutputFile out(o.output, OutputFile::Mode::append);
  std::vector<core::BatchItem> items;
  std::vector<PendingItem> pending;
  std::map<std::string, std::size_t> first_line;
  BatchTally tally;
  BatchTotals totals(model.name());
  bool model_noted = false;
  for (LineReader::Line text; !interrupt.interrupted() && in.next(text);) {
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
    // Every id once in the output, bad lines' and made-up "line-N" ones included: a line whose
    // id is taken is reported under a name of its own.
    if (auto [it, fresh] = first_line.emplace(line.custom_id, number); !fresh) {
      if (line.problem.empty()) {
        line.problem =
            "custom_id '" + line.custom_id + "' repeats line " + std::to_string(it->second);
      }
      line.custom_id = unused_line_id(number, first_line);
      first_line.emplace(line.custom_id, number);
    }
    if (done.count(line.custom_id) != 0) {
      ++tally.skipped;
      if (previous.succeeded.count(line.custom_id) == 0) ++tally.skipped_errors;
      continue;
    }
    if (line.problem.empty()) {
      line.item.overrides = merged(common, line.item.overrides);
      line.problem = request_problem(model, line.item);
    }
    if (!line.problem.empty()) {
      std::cerr << "llmrt batch: " << o.input << ":" << number << ": " << printable(line.problem)
                << "\n";
      const Error error(ErrorKind::bad_request, line.problem);
      if (!out.write_line(line.format == BatchFormat::openai
                              ? openai_error_record(line.custom_id, error, number)
                              : error_record(line.custom_id, error, number))) {
        return stopped_by(out);
      }
      ++tally.bad_lines;
      continue;
    }
    if (!model_noted && !line.requested_model.empty() && core::log_enabled(core::LogLevel::warn) &&
        (o.model.names_route() || line.requested_model != model.config().model)) {
      model_noted = true;  // once: every line of such a file usually names the same model
      std::cerr << "llmrt batch: " << o.input << ":" << number << ": body.model '"
                << printable(line.requested_model) << "' is not used: the batch runs "
                << (o.model.names_route() ? "route '" + printable(model.name()) +
                                                "', whose models each answer as themselves"
                                          : "model '" + printable(model.config().model) + "'")
                << " (--model or --config)\n";
    }
    items.push_back(std::move(line.item));
    pending.push_back({std::move(line.custom_id), line.format});
  }

  BatchProgress progress(std::cerr, items.size(), isatty(STDERR_FILENO) != 0 ? STDERR_FILENO : -1);
  core::BatchOptions options;
  options.concurrency = o.concurrency;
  // A loop per core: on_item below runs on any of them, one call at a time.
  options.threads = 0;
  options.cancel = interrupt.token();
  options.keep_outcomes = false;  // each is written out as it comes: none is held to the end
  // The API model an OpenAI-format record names: through a route, that of the model that
  // served the item (each looked up once), not the route's first target's.
  std::map<std::string, std::string> api_models;
  auto api_model_of = [&](const core::BatchOutcome& outcome) -> const std::string& {
    if (!o.model.names_route() || !outcome.ok()) return model.config().model;
    auto [it, fresh] = api_models.try_emplace(outcome.result->served_by);
    if (fresh) {
      try {
        it->second = runtime.model(it->first).config().model;
      } catch (const Error&) {
        it->second = model.config().model;  // not a configured model's name: cannot be
      }
    }
    return it->second;
  };
  options.on_item = [&](std::size_t i, const core::BatchOutcome& outcome) {
    if (out.failed()) return;  // stopping: the items still in flight end as cancelled
    if (interrupt.interrupted() && !outcome.ok() &&
        outcome.error->info().kind == ErrorKind::cancelled) {
      ++tally.not_run;  // not written: a rerun runs it
      return;
    }
    if (!out.write_line(record_of(pending[i], outcome, api_model_of(outcome)))) {
      options.cancel->cancel();
      return;
    }
    if (outcome.ok()) totals.add(*outcome.result);  // as written: the sums of the lines
    progress.item_done(outcome.ok());
  };
  if (metrics) {
    metrics->write_every(std::chrono::milliseconds(
        static_cast<long long>(std::ceil(o.metrics_interval_seconds * 1000))));
  }
  model.chat_batch(items, options);
  // The counters as the batch left them, also when it stopped or was interrupted.
  const std::string metrics_error = metrics ? metrics->finish() : std::string();
  if (!metrics_error.empty()) std::cerr << "llmrt batch: " << metrics_error << "\n";
  if (!out.close()) return stopped_by(out);
  tally.interrupted = interrupt.interrupted();
  progress.finish(tally, totals);
  if (tally.interrupted) {
    print_resume_hint(global);
    return interrupt.exit_status();
  }
  const std::size_t errors = progress.failed() + tally.bad_lines + tally.skipped_errors;
  return errors == 0 && metrics_error.empty() ? kExitOk : kExitCallFailed;
}

}  // namespace

Command add_batch_command(CLI::App& app, const GlobalOptions& global) {
  auto o = std::make_shared<BatchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "batch", "Run a JSONL file of conversations; a rerun resumes where the last one stopped");
  o->model.add_to(*cmd);
  o->tools.add_to(*cmd);
  cmd->add_option("--input", o->input,
                  "JSONL of {custom_id, messages, params?}, or the OpenAI Batch API's lines")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--output", o->output,
                  "JSONL of {custom_id, response} or {custom_id, error} (the OpenAI Batch API's "
                  "output for its lines); appended as items end")
      ->required()
      ->check(CLI::Validator(
          [](const std::string& path) {
            std::error_code error;  // a path that cannot even be looked at is the write's to report
            return std::filesystem::is_directory(path, error) ? path + ": is a directory"
                                                              : std::string();
          },
          "FILE"));
  cmd->add_option("--concurrency", o->concurrency,
                  "Conversations in flight at once (at most " +
                      std::to_string(core::kMaxBatchConcurrency) + ")")
      // More is taken and capped (core::BatchOptions): only the bound of the type is refused.
      ->check(whole_number(1, 1'000'000))
      ->capture_default_str();
  cmd->add_flag("--retry-failed", o->retry_failed,
                "Run again the items whose output is an error (they are replaced)");
  CLI::Option* metrics =
      cmd->add_option("--metrics", o->metrics_file,
                      "Keep the model's counters in this file (Prometheus text), written "
                      "while the batch runs and at its end");
  cmd->add_option("--metrics-interval", o->metrics_interval_seconds,
                  "Seconds between the writes of --metrics")
      ->check(positive_seconds())
      ->needs(metrics)
      ->capture_default_str();
  return {cmd, [o, &global] { return run_batch(*o, global); }};
}

}  // namespace llmrt::cli
