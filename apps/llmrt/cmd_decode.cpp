#include <rapidjson/document.h>

#include <iostream>
#include <memory>

#include "commands.h"
#include "event_printer.h"
#include "llmrt/core/plugin_registry.h"
#include "llmrt/sdk/chat_result_builder.h"
#include "llmrt/sdk/json_limits.h"
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

// A body that is one JSON object is a whole (non-streamed) response: what the API sends without
// "stream": true. An SSE stream never starts with '{' (its lines start with a field name or
// ':'); an NDJSON stream does, but holds one object per line: more than one JSON value.
bool is_whole_response(std::string_view body) {
  const std::size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || body[first] != '{') return false;
  // Too deep to parse here: the provider's parser refuses it, saying so.
  if (find_excess_nesting(body)) return true;
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  // A malformed object is still meant as one (a truncated capture): the provider names the error.
  return doc.GetParseError() != rapidjson::kParseErrorDocumentRootNotSingular;
}

// Nothing decoded from a body is not an empty reply: the capture is not what was asked for.
Error nothing_decoded(std::string_view body, const std::string& why) {
  const bool blank = body.find_first_not_of(" \t\r\n") == std::string_view::npos;
  return Error(ErrorKind::protocol, blank ? "the body is empty" : why);
}

int decode_sse(const std::string& body) {
  SseDecoder decoder;
  std::size_t printed = 0;
  auto print = [&printed](const SseEvent& e) {
    std::cout << sse_event_json(e.type, e.data, e.id) << "\n";
    ++printed;
  };
  try {
    for (std::size_t at = 0; at < body.size(); at += kPiece) {
      decoder.feed(std::string_view(body).substr(at, kPiece), print);
    }
    decoder.finish(print);
    if (printed == 0)
      throw nothing_decoded(body, "no SSE events in the body (no \"data: …\" lines)");
  } catch (const Error& e) {
    std::cerr << "llmrt: " << printable(e) << "\n";
    return kExitCallFailed;
  }
  return kExitOk;
}

// Parsed as the provider parses a non-streamed 2xx reply; an error object in it is the
// provider's error, classified as a call's would be.
int decode_whole(const Provider& provider, const std::string& body) {
  EventPrinter printer(std::cout, true, std::cerr);
  HttpResponse response{
      .status = 200, .headers = {{"Content-Type", "application/json"}}, .body = body};
  try {
    printer.end(provider.parse_response(response), false);
  } catch (const Error& e) {
    printer.error(e);
    return kExitCallFailed;
  }
  return kExitOk;
}

int decode_provider(const Provider& provider, const std::string& body) {
  if (is_whole_response(body)) return decode_whole(provider, body);
  EventPrinter printer(std::cout, true, std::cerr);
  ChatResultBuilder builder;
  std::size_t decoded = 0;
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
      ++decoded;
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
    if (decoded == 0) {
      throw nothing_decoded(body,
                            "no events in the body: it is neither a whole JSON response (an "
                            "object) nor a stream of SSE events (\"data: …\" lines)");
    }
  } catch (const Error& e) {
    // A decoder that throws keeps what it decoded before the failure: that came first (and
    // an in-stream error among it is the one to report).
    Error failure = e;
    try {
      deliver();
    } catch (const Error& earlier) {
      failure = earlier;
    }
    printer.error(Error(failure.info(), builder.result().content));
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
  auto* provider =
      cmd->add_option("--provider", o->provider,
                      "Decode with this provider plugin: a whole JSON response as a reply, "
                      "anything else as its stream");
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
