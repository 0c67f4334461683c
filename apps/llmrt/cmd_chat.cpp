#include <iostream>
#include <memory>
#include <optional>

#include "call_warnings.h"
#include "commands.h"
#include "event_printer.h"
#include "interrupt.h"
#include "llmrt/core/metrics.h"
#include "llmrt/core/runtime.h"
#include "llmrt/core/utf8.h"
#include "load_errors.h"
#include "messages_input.h"
#include "metrics_file.h"
#include "model_options.h"
#include "prompt_input.h"
#include "token_limit.h"
#include "tool_options.h"

namespace llmrt::cli {
namespace {

struct ChatOptions {
  ModelOptions model;
  ToolOptions tools;
  bool stream = false;
  bool events = false;
  std::string system;
  std::string messages_source;
  std::string prompt;
  bool prompt_given = false;  // PROMPT on the command line, even "" (then no stdin is read)
  std::string metrics_file;
};

// A JSON request body must be UTF-8: refuse other bytes here, naming where they are, rather
// than send them (the messages of a file are checked as they are read).
void check_utf8(const char* where, const std::string& text) {
  if (auto at = core::find_invalid_utf8(text)) {
    throw Error(ErrorKind::bad_request,
                std::string(where) + ": invalid UTF-8 at byte " + std::to_string(*at));
  }
}

// The conversation, and where in it the --messages file's messages are.
struct Conversation {
  std::vector<Message> messages;
  std::size_t file_begin = 0;
  std::size_t file_end = 0;
};

Conversation conversation(const ChatOptions& o) {
  check_utf8("--system", o.system);
  check_utf8("PROMPT", o.prompt);
  const std::string prompt = read_prompt(o.prompt, o.prompt_given, o.messages_source);
  Conversation c;
  std::vector<Message>& messages = c.messages;
  if (!o.system.empty()) messages.push_back({.role = "system", .content = o.system});
  c.file_begin = messages.size();
  if (!o.messages_source.empty()) {
    for (Message& m : read_messages(o.messages_source)) messages.push_back(std::move(m));
  }
  c.file_end = messages.size();
  if (!prompt.empty()) messages.push_back({.role = "user", .content = prompt});
  if (messages.empty() || (o.messages_source.empty() && prompt.empty())) {
    throw Error(ErrorKind::bad_request,
                "chat needs a PROMPT (- or a pipe: stdin) or --messages FILE");
  }
  return c;
}

int run_call(const ChatOptions& o, const core::ChatModel& model,
             const std::vector<Message>& messages, const core::ParamOverrides& overrides,
             const TokenLimit& limit, Interrupt& interrupt) {
  EventPrinter printer(std::cout, o.events, std::cerr);
  core::CallControl control;
  control.cancel = interrupt.token();
  // stdout cannot be written any more (its reader went away, the disk is full): the rest of
  // the reply would be lost, so stop the call at once. main reports the write error.
  auto stop_when_unwritable = [&control] {
    if (!std::cout) control.cancel->cancel();
  };
  control.on_retry = [&](const core::RetryNotice& n) {
    printer.retry(n);
    stop_when_unwritable();
  };
  control.on_route = [&](const core::RouteNotice& n) {
    printer.route(n);
    stop_when_unwritable();
  };
  try {
    if (o.stream) {
      ChatResult result = model.stream_chat(
          messages, overrides,
          [&](const StreamEvent& e) {
            printer.event(e);
            stop_when_unwritable();
          },
          control);
      printer.end(result, true);
      warn_if_cut(result, limit, std::cerr);
    } else {
      ChatResult result = model.chat(messages, overrides, control);
      printer.end(result, false);
      warn_if_cut(result, limit, std::cerr);
    }
  } catch (const Error& e) {
    if (!std::cout) return kExitCallFailed;  // cancelled by the failed write: main says why
    if (interrupt.interrupted() && e.info().kind == ErrorKind::cancelled) {
      printer.interrupted(e);
      return interrupt.exit_status();
    }
    printer.error(e);
    return kExitCallFailed;
  }
  return kExitOk;
}

int run_chat(const ChatOptions& o, const GlobalOptions& global) {
  // Read before Ctrl-C is taken over: while this waits on stdin, Ctrl-C still ends the program.
  const Conversation given = conversation(o);
  const std::vector<Message>& messages = given.messages;
  core::ParamOverrides overrides = o.model.overrides();
  o.tools.apply(overrides);
  Interrupt interrupt;  // before any thread starts: they inherit its signal mask
  core::Runtime runtime = o.model.runtime(global.plugin_paths);
  report_load_errors(runtime.load_errors(), std::cerr);
  core::ChatModel model = o.model.open(runtime);
  if (!o.messages_source.empty()) {
    check_roles({messages.begin() + static_cast<std::ptrdiff_t>(given.file_begin),
                 messages.begin() + static_cast<std::ptrdiff_t>(given.file_end)},
                model.config().meta_template, o.messages_source);
  }
  // Render the request once without sending it: a bad role, parameter or option is a usage
  // error (exit 2), found before anything goes on the wire.
  const ChatRequest request = model.prepare(messages, overrides, o.stream);
  const HttpRequest rendered = model.provider().build_request(request, Credentials{});
  const TokenLimit limit =
      token_limit_of(rendered, request.params, overrides, model.config(), o.model.config_file);
  // What the plugin dropped or changed: as text here, once (and not again in the log); with
  // --events as warning lines, from the call itself.
  std::optional<LogWithoutShownWarnings> quiet_log;
  if (!o.events) {
    print_warnings(rendered.warnings, std::cerr);
    quiet_log.emplace(model.provider().info().name, rendered.warnings);
  }

  // Before the call: a file that cannot be written is a usage error, not a lost result.
  std::optional<MetricsFile> metrics;
  if (!o.metrics_file.empty()) {
    metrics.emplace(o.metrics_file, [&model] { return core::to_prometheus(model.metrics()); });
  }
  const int status = run_call(o, model, messages, overrides, limit, interrupt);
  if (metrics) {
    // Written whatever became of the call: a failed one is counted too.
    if (std::string error = metrics->finish(); !error.empty()) {
      std::cerr << "llmrt: " << error << "\n";
      if (status == kExitOk) return kExitCallFailed;
    }
  }
  return status;
}

}  // namespace

Command add_chat_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<ChatOptions>();
  CLI::App* chat = app.add_subcommand("chat", "Send a conversation and print the reply");
  options->model.add_to(*chat);
  options->tools.add_to(*chat);
  chat->add_flag("--stream", options->stream, "Print the reply as it arrives");
  chat->add_flag("--events", options->events, "Print one JSON event per line instead of text");
  chat->add_option("--system", options->system, "System prompt put first");
  chat->add_option("--messages", options->messages_source,
                   "JSON array of OpenAI-format messages (role, content, tool_calls, "
                   "tool_call_id, …), from a file or - (stdin)");
  chat->add_option("--metrics", options->metrics_file,
                   "Write the model's counters to this file at the end (Prometheus text)");
  chat->add_option("prompt", options->prompt,
                   "The user's message, added last; - or a pipe without PROMPT: stdin");
  return {chat, [chat, options, &global] {
            options->prompt_given = chat->count("prompt") > 0;
            return run_chat(*options, global);
          }};
}

}  // namespace llmrt::cli
