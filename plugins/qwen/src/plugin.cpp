#include "llmrt/sdk/plugin_abi.h"
#include "llmrt/sdk/version.h"
#include "qwen_provider.h"

LLMRT_EXPORT_PLUGIN(llmrt::plugins::qwen::QwenProvider, "qwen", LLMRT_VERSION_STRING)
