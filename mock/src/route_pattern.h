#pragma once

#include <string_view>

namespace llmrt::mock {

// Whether `path` is `pattern` with each `{name}` standing for one non-empty run of characters
// other than '/' and ':': Gemini puts the model in its path
// (`/v1beta/models/{model}:generateContent`) and Azure the deployment
// (`/openai/deployments/{deployment}/chat/completions`). Everything else must match exactly, so
// that a wrong api base still finds no route.
bool path_matches(std::string_view pattern, std::string_view path);

}  // namespace llmrt::mock
