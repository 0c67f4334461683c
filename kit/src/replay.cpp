#include "llmrt/kit/replay.h"

#include <memory>

#include "llmrt/kit/event_lines.h"
#include "llmrt/sdk/chat_result_builder.h"

namespace llmrt::kit {
namespace {

bool is_2xx(int status) { return status >= 200 && status < 300; }

void fill_from_response(ErrorInfo& info, const RecordedResponse& response) {
  if (info.http_status == 0) info.http_status = response.status;
  if (info.request_id.empty()) info.request_id = request_id_from(response.headers);
}

// The whole body read as a reply, as the runtime reads a non-streamed one.
void read_whole(const Provider& provider, const RecordedResponse& response, Replay& out) {
  try {
    ChatResult result =
        provider.parse_response(HttpResponse{response.status, response.headers, response.body});
    for (std::string& line : end_lines(result, false)) out.lines.push_back(std::move(line));
  } catch (const Error& e) {
    ErrorInfo info = e.info();
    fill_from_response(info, response);
    out.lines.push_back(error_line(info, {}));
  }
}

void read_stream(const Provider& provider, const RecordedResponse& response,
                 const std::vector<std::string_view>& reads, Replay& out) {
  std::vector<StreamEvent> events;
  std::optional<ErrorInfo> thrown;
  try {
    StreamContext context{.status = response.status, .headers = response.headers};
    std::unique_ptr<StreamDecoder> decoder = provider.new_stream_decoder(response.request, context);
    for (std::string_view read : reads) decoder->feed(read, events);
    decoder->finish(events);
  } catch (const Error& e) {
    thrown = e.info();
  }
  ChatResultBuilder builder;
  bool finished = false;
  for (const StreamEvent& event : events) {
    out.raw_lines.push_back(raw_event_line(event));
    if (const auto* error = std::get_if<ErrorEvent>(&event)) {
      ErrorInfo info = error->error;
      fill_from_response(info, response);
      out.lines.push_back(error_line(info, builder.result().content));
      return;  // the error ends the stream; what follows is ignored
    }
    if (std::holds_alternative<DoneEvent>(event)) {
      finished = true;
      thrown.reset();  // an exception after DoneEvent is ignored
      break;
    }
    if (std::holds_alternative<FinishEvent>(event)) finished = true;
    builder.add(event);
    if (auto line = event_line(event)) out.lines.push_back(std::move(*line));
  }
  if (thrown) {
    fill_from_response(*thrown, response);
    out.lines.push_back(error_line(*thrown, builder.result().content));
  } else if (events.empty()) {
    read_whole(provider, response, out);  // no stream: a server that ignored "stream": true
  } else if (finished) {
    for (std::string& line : end_lines(builder.result(), true))
      out.lines.push_back(std::move(line));
  } else {
    ErrorInfo cut{.kind = ErrorKind::network,
                  .message = "the connection closed before the stream completed"};
    out.lines.push_back(error_line(cut, builder.result().content));
  }
}

std::string first_difference(const std::vector<std::string>& expected,
                             const std::vector<std::string>& got) {
  for (std::size_t i = 0; i < std::max(expected.size(), got.size()); ++i) {
    const std::string a = i < expected.size() ? expected[i] : "(no more events)";
    const std::string b = i < got.size() ? got[i] : "(no more events)";
    if (a != b) return "event " + std::to_string(i + 1) + ": whole gives " + a + ", got " + b;
  }
  return {};
}

}  // namespace

Replay replay(const Provider& provider, const RecordedResponse& response,
              const std::vector<std::string_view>& reads) {
  Replay out;
  try {
    if (!is_2xx(response.status)) {
      ErrorInfo info =
          provider.classify_error(HttpResponse{response.status, response.headers, response.body});
      fill_from_response(info, response);
      out.lines.push_back(error_line(info, {}));
    } else if (!response.request.stream) {
      read_whole(provider, response, out);
    } else {
      read_stream(provider, response, reads, out);
    }
  } catch (const std::exception& e) {
    // Only Error may leave a provider (provider.h); anything else is the plugin's bug, shown.
    out.lines.push_back("exception other than llmrt::Error: " + std::string(e.what()));
  }
  return out;
}

SplitCheck replay_every_split(const Provider& provider, const RecordedResponse& response) {
  const std::string_view body = response.body;
  SplitCheck check{replay(provider, response, {body}), std::nullopt};
  // A body that is not read as a stream is read whole whatever its reads.
  if (!is_2xx(response.status) || !response.request.stream) return check;
  auto compare = [&](const std::vector<std::string_view>& reads, const std::string& how) {
    Replay other = replay(provider, response, reads);
    std::string diff = first_difference(check.whole.raw_lines, other.raw_lines);
    if (diff.empty()) diff = first_difference(check.whole.lines, other.lines);
    if (!diff.empty()) check.disagreement = how + ": " + diff;
    return diff.empty();
  };
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < body.size(); ++i) bytes.push_back(body.substr(i, 1));
  if (!compare(bytes, "one byte at a time")) return check;
  for (std::size_t at = 1; at < body.size(); ++at) {
    if (!compare({body.substr(0, at), body.substr(at)}, "split at byte " + std::to_string(at))) {
      return check;
    }
  }
  return check;
}

}  // namespace llmrt::kit
