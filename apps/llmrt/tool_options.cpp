#include "tool_options.h"

#include "llmrt/core/tools_json.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/json_writer.h"
#include "local_input.h"

namespace llmrt::cli {

void ToolOptions::add_to(CLI::App& command) {
  command.add_option("--tools", tools_source,
                     "JSON file (or - for stdin) of the tools the model may call, in OpenAI's "
                     "shape: [{\"type\":\"function\",\"function\":{name, description, "
                     "parameters}}]");
  command.add_option("--tool-choice", tool_choice,
                     "auto, none, required, or the NAME of the tool the model must call");
}

void ToolOptions::apply(core::ParamOverrides& overrides) const {
  if (!tools_source.empty()) {
    std::string text = read_local_input(tools_source, kMaxLocalInputBytes, "--tools");
    // Checked here to name the file; the parameter is checked again where it is applied.
    core::parse_tools_json(text, "--tools " + tools_source);
    overrides.set_json("tools", std::move(text));
  }
  if (tool_choice.empty()) return;
  if (tool_choice == "auto" || tool_choice == "none" || tool_choice == "required") {
    overrides.set("tool_choice", std::string_view(tool_choice));
    return;
  }
  json::JsonWriter w;
  w.begin_object();
  w.field("type", "function");
  w.key("function").begin_object().field("name", tool_choice).end_object();
  w.end_object();
  std::string json = w.take();
  core::parse_tool_choice_json(json, "--tool-choice");
  overrides.set_json("tool_choice", std::move(json));
}

}  // namespace llmrt::cli
