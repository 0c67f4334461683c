// The README's host program: load the plugins, stream a reply. Built with the project so the
// example in the README always compiles. Usage: stream_hello API_BASE [KEY]
#include <iostream>

#include "llmrt/core/runtime.h"

int main(int argc, char** argv) {
  llmrt::core::Runtime runtime;  // finds the plugins: LLMRT_PLUGIN_PATH, then the install folder
  llmrt::core::ModelConfig config;
  config.provider = "openai";
  config.model = "gpt-4o-mini";
  config.api_base = argc > 1 ? argv[1] : "";   // empty: $OPENAI_BASE_URL or the default
  config.keys = {argc > 2 ? argv[2] : "ENV"};  // ENV: $OPENAI_API_KEY
  try {
    llmrt::core::ChatModel model = runtime.model(config);
    for (const auto& chunk : model.stream_chat({{.role = "user", .content = "Hello!"}})) {
      std::cout << chunk.delta << std::flush;  // chunk.text holds the reply so far
    }
    std::cout << "\n";
  } catch (const llmrt::Error& e) {  // kind, HTTP status, provider code, partial text
    std::cerr << e.what() << "\npartial reply: " << e.partial_content() << "\n";
    return 1;
  }
}
