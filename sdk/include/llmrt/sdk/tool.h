#pragma once

#include <cstdint>
#include <string>

namespace llmrt {

// A tool the model may call, given once per call in this one shape; each plugin renders it in
// its API's (OpenAI's "tools", Anthropic's "tools" with input_schema, Gemini's
// functionDeclarations, …).
struct ToolSpec {
  std::string name{};
  std::string description{};
  // The JSON Schema of the arguments, as JSON text (an object); empty: the tool takes none.
  std::string parameters_json{};
};

enum class ToolChoiceMode {
  automatic,  // the model decides ("auto")
  none,       // no tool may be called
  required,   // some tool must be called ("required"; Anthropic's "any")
  function,   // the tool named in ToolChoice::name must be called
};

struct ToolChoice {
  ToolChoiceMode mode = ToolChoiceMode::automatic;
  std::string name{};  // for ToolChoiceMode::function
};

// A call of a tool: in a reply (ChatResult::tool_calls) and, sent back, on the assistant
// message that made it (Message::tool_calls).
struct ToolCall {
  std::int64_t index = 0;
  std::string id{};
  std::string type = "function";
  std::string name{};
  std::string arguments{};  // JSON text as the model wrote it (may be invalid JSON)
};

}  // namespace llmrt
