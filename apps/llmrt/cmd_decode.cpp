#include <iostream>
#include <memory>

#include "commands.h"
#include "event_printer.h"
#include "llmrt/core/plugin_registry.h"
#include "llmrt/sdk/chat_result_builder.h"
#include "llmrt/sdk/sse.h"
#include "messages_input.h"
#include "terminal_text.h"

namespace llmrt::cli {
namespace {

struct DecodeOptions {
  std::string provider;
  bool sse = false;
  std::string file = "-";
};

// Reads the capture in pieces of this size, as a socket would deliver it.
constexpr std::size_t kPiece = std::size_t{16} << 10;

int decode_sse(const std::string& body) {
  SseDecoder decoder;
  auto print = [](const SseEvent& e) { std::cout << sse_event_json(e.type, e.data, e.id) << "\n"; };
  try {
    for (std::size_t at = 0; at < body.size(); at += kPiece) {
      decoder.feed(std::string_view(body).substr(at, kPiece), print);
    }
    decoder.finish(print);
  } catch (const Error& e) {
    std::cerr << "llmrt: " << printable(e.what()) << "\n";
    return kExitCallFailed;
  }
  return kExitOk;
}

int decode_provider(const Provider& provider, const std::string& body) {
  EventPrinter printer(std::cout, true, std::cerr);
  ChatResultBuilder builder;
  std::unique_ptr<StreamDecoder> decoder =
      provider.new_stream_decoder(ChatRequest{.stream = true}, {});
  std::vector<StreamEvent> events;
  std::size_t delivered = 0;
  auto deliver = [&]() {
    for (; delivered < events.size(); ++delivered) {
      const StreamEvent& e = events[delivered];
      if (const auto* error = std::get_if<ErrorEvent>(&e)) {
        throw Error(error->error, builder.result().content);
      }
      builder.add(e);
      printer.event(e);
    }
    events.clear();
    delivered = 0;
  };
  try {
    for (std::size_t at = 0; at < body.size(); at += kPiece) {
      decoder->feed(std::string_view(body).substr(at, kPiece), events);
      deliver();
    }
    decoder->finish(events);
    deliver();
  } catch (const Error& e) {
    // A decoder that throws keeps what it decoded before the failure: that came first (and
    // an in-stream error among it is the one to report).
    Error failure = e;
    try {
      deliver();
    } catch (const Error& earlier) {
      failure = earlier;
    }
    printer.error(Error(failure.info(), builder.result().content), std::cerr);
    return kExitCallFailed;
  }
  printer.end(builder.result(), true);
  return kExitOk;
}

}  // namespace

Command add_decode_command(CLI::App& app, const GlobalOptions& global) {
  auto o = std::make_shared<DecodeOptions>();
  CLI::App* cmd =
      app.add_subcommand("decode", "Decode a captured response body into events (JSON lines)");
  auto* provider = cmd->add_option("--provider", o->provider,
                                   "Decode with this provider plugin's stream decoder");
  auto* sse = cmd->add_flag("--sse", o->sse, "Print the raw SSE events");
  provider->excludes(sse);
  cmd->add_option("--file", o->file, "The captured body (default: stdin)");
  return {cmd, [o, &global] {
            if (o->provider.empty() && !o->sse) {
              std::cerr << "llmrt decode: give --provider P or --sse\n";
              return kExitUsage;
            }
            std::string body = read_input(o->file);
            if (o->sse) return decode_sse(body);
            core::PluginRegistry registry;
            registry.discover({global.plugin_paths.begin(), global.plugin_paths.end()});
            return decode_provider(*registry.get_provider(o->provider), body);
          }};
}

}  // namespace llmrt::cli
