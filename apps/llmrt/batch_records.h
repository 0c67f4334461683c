#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "llmrt/core/batch.h"

namespace llmrt::cli {

// The two input line formats; each line's output is written in its own.
enum class BatchFormat {
  llmrt,   // {"custom_id", "messages", "params"?}
  openai,  // the OpenAI Batch API's {"custom_id","method","url","body"} (batch_openai_format.h)
};

// One line of a batch input.
struct BatchInputLine {
  std::size_t line_number = 0;
  std::string custom_id;
  BatchFormat format = BatchFormat::llmrt;
  core::BatchItem item;
  std::string requested_model;  // the OpenAI format's body.model (the batch's model is used)
  std::string problem;          // non-empty: the line is unusable, and this says why
};

// Parses one input line. A line that cannot be used comes back with `problem` set and, when
// none could be read, custom_id "line-N".
BatchInputLine parse_batch_line(const std::string& text, std::size_t line_number);

// The output lines: {"custom_id","response":{content, finish_reason, usage, model, cost, …}}
// (model: the one that served the item; cost when its price is configured) or
// {"custom_id","error":{kind, status, code, message, partial_content}}.
std::string response_record(const std::string& custom_id, const ChatResult& result);
std::string error_record(const std::string& custom_id, const Error& error,
                         std::optional<std::size_t> input_line = {});

// True for an output line of a finished item (either format): one with a response that is not
// an HTTP error.
bool is_success_record(const rapidjson::Value& record);

// What an earlier run left in the output file.
struct PreviousOutput {
  std::set<std::string> succeeded;
  std::set<std::string> failed;
  struct Line {
    std::string text;
    bool succeeded = false;
  };
  std::vector<Line> lines;        // complete lines of ours, in order
  bool had_partial_line = false;  // the run was killed mid-write
  // A line of ours too long to read back: its item runs again, and the rewrite drops it.
  bool had_unreadable_line = false;
  // The first line that is none of ours (1-based; 0: none). Such a file is no earlier run's
  // output: rewriting it would lose that line, and appending to it mixes the two.
  std::size_t foreign_line = 0;
};
PreviousOutput read_previous_output(const std::string& path);

}  // namespace llmrt::cli
