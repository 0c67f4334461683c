#pragma once

#include <string>
#include <string_view>

namespace llmrt::test {

// An OpenAI chat completion whose reply is "fine", and the whole HTTP response that carries it
// (kept alive, framed by Content-Length): what the raw test servers answer when all goes well.
constexpr std::string_view kFineBody =
    R"({"choices":[{"index":0,"message":{"role":"assistant","content":"fine"},)"
    R"("finish_reason":"stop"}]})";

inline std::string fine_reply() {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(kFineBody.size()) + "\r\n\r\n" + std::string(kFineBody);
}

}  // namespace llmrt::test
