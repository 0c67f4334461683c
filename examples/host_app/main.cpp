// A host application using the installed runtime: plugins are found next to the installed
// libllmrt_core without any configuration. Asks three questions at once, then streams one
// reply, with a cancellable handle. Usage: host_app API_BASE [KEY]
#include <iostream>

#include "llmrt/core/runtime.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: host_app API_BASE [KEY]\n";
    return 2;
  }
  llmrt::core::Runtime runtime;
  for (const auto& error : runtime.load_errors()) std::cerr << "skipped: " << error.message << "\n";

  llmrt::core::ModelConfig config;
  config.provider = "openai";
  config.model = "gpt-4o-mini";
  config.api_base = argv[1];
  config.keys = {argc > 2 ? argv[2] : "ENV"};
  try {
    llmrt::core::ChatModel model = runtime.model(config);

    std::vector<llmrt::core::BatchItem> questions;
    for (const char* q : {"What is llmrt?", "Which plugins are loaded?", "Is it fast?"}) {
      questions.push_back({{{.role = "user", .content = q}}, {}});
    }
    auto outcomes = model.chat_batch(questions, {.concurrency = 3});
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      std::cout << "answer " << i << ": "
                << (outcomes[i].ok() ? outcomes[i].result->content : outcomes[i].error->what())
                << "\n";
    }

    llmrt::core::StreamHandle handle = model.stream_chat_async(
        {{.role = "user", .content = "Stream, please."}}, {}, [](const llmrt::StreamEvent& e) {
          if (auto* delta = std::get_if<llmrt::ContentDelta>(&e))
            std::cout << delta->text << std::flush;
        });
    llmrt::ChatResult streamed = handle.wait();
    std::cout << "\nfinish: " << llmrt::finish_reason_name(streamed) << "\n";
  } catch (const llmrt::Error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
