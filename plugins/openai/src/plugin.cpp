#include "llmrt/sdk/plugin_abi.h"
#include "llmrt/sdk/version.h"
#include "openai_provider.h"

LLMRT_EXPORT_PLUGIN(llmrt::plugins::openai::OpenAiProvider, "openai", LLMRT_VERSION_STRING)
