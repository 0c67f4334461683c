#pragma once

#include "llmrt/sdk/gen_params.h"

namespace llmrt::core {

// What lagent's GPTAPI sends when a call sets nothing: max_new_tokens 512, top_p 0.8, top_k
// 40, temperature 0.8, repetition_penalty 0. Asked for by name ("defaults": "lagent", the
// command line's --defaults lagent); llmrt's own default is to send none of them.
GenParams lagent_defaults();

// `params` with every parameter it does not set taken from `defaults`.
GenParams with_defaults(GenParams params, const GenParams& defaults);

}  // namespace llmrt::core
