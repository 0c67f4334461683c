#include "internlm_provider.h"
#include "llmrt/sdk/plugin_abi.h"
#include "llmrt/sdk/version.h"

LLMRT_EXPORT_PLUGIN(llmrt::plugins::internlm::InternLmProvider, "internlm", LLMRT_VERSION_STRING)
