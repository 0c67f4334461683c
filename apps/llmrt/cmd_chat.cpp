#include <iostream>
#include <memory>

#include "commands.h"
#include "event_printer.h"
#include "llmrt/core/runtime.h"
#include "messages_input.h"
#include "model_options.h"

namespace llmrt::cli {
namespace {

struct ChatOptions {
  ModelOptions model;
  bool stream = false;
  bool events = false;
  std::string system;
  std::string messages_source;
  std::string prompt;
};

std::vector<Message> conversation(const ChatOptions& o) {
  std::vector<Message> messages;
  if (!o.system.empty()) messages.push_back({.role = "system", .content = o.system});
  if (!o.messages_source.empty()) {
    for (Message& m : read_messages(o.messages_source)) messages.push_back(std::move(m));
  }
  if (!o.prompt.empty()) messages.push_back({.role = "user", .content = o.prompt});
  if (messages.empty() || (o.messages_source.empty() && o.prompt.empty())) {
    throw Error(ErrorKind::bad_request, "chat needs a PROMPT or --messages FILE");
  }
  return messages;
}

int run_chat(const ChatOptions& o, const GlobalOptions& global) {
  std::vector<Message> messages = conversation(o);
  core::ParamOverrides overrides = o.model.overrides();
  core::Runtime runtime({global.plugin_paths.begin(), global.plugin_paths.end()});
  core::ChatModel model = runtime.model(o.model.to_config());
  // Render the request once without sending it: a bad role, parameter or option is a usage
  // error (exit 2), found before anything goes on the wire.
  model.provider().build_request(model.prepare(messages, overrides, o.stream), Credentials{});

  EventPrinter printer(std::cout, o.events);
  core::CallControl control;
  control.on_retry = [&printer](const core::RetryNotice& n) { printer.retry(n); };
  try {
    if (o.stream) {
      ChatResult result = model.stream_chat(
          messages, overrides, [&](const StreamEvent& e) { printer.event(e); }, control);
      printer.end(result, true);
    } else {
      printer.end(model.chat(messages, overrides, control), false);
    }
  } catch (const Error& e) {
    printer.error(e, std::cerr);
    return kExitCallFailed;
  }
  return kExitOk;
}

}  // namespace

Command add_chat_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<ChatOptions>();
  CLI::App* chat = app.add_subcommand("chat", "Send a conversation and print the reply");
  options->model.add_to(*chat);
  chat->add_flag("--stream", options->stream, "Print the reply as it arrives");
  chat->add_flag("--events", options->events, "Print one JSON event per line instead of text");
  chat->add_option("--system", options->system, "System prompt put first");
  chat->add_option("--messages", options->messages_source,
                   "JSON array of {role, content} in internal roles, from a file or - (stdin)");
  chat->add_option("prompt", options->prompt, "The user's message, added last");
  return {chat, [options, &global] { return run_chat(*options, global); }};
}

}  // namespace llmrt::cli
