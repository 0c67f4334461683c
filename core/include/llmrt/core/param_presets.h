#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "llmrt/sdk/gen_params.h"

namespace llmrt::core {

// The parameters a model starts from before its configuration's and the call's own.
//   none:   llmrt's default: nothing is sent that nobody set, so the provider's defaults apply.
//   lagent: what lagent's GPTAPI sends when a call sets nothing: max_new_tokens 512, top_p 0.8,
//           top_k 40, temperature 0.8, repetition_penalty 0 (a plugin whose API has no top_k
//           drops it with a warning).
// Named in a configuration file as "defaults": "lagent" and on the command line as
// --defaults lagent.
enum class ParamDefaults { none, lagent };

// "none", "lagent".
std::string_view to_string(ParamDefaults defaults);
// The preset named `name`; none for an unknown name.
std::optional<ParamDefaults> parse_param_defaults(std::string_view name);
// "none, lagent": for errors that list the known names.
std::string known_param_defaults();

// The parameters of the preset (empty for ParamDefaults::none).
GenParams preset_params(ParamDefaults defaults);

// lagent's values (preset_params(ParamDefaults::lagent)).
GenParams lagent_defaults();

// `params` with every parameter it does not set taken from `defaults`.
GenParams with_defaults(GenParams params, const GenParams& defaults);

}  // namespace llmrt::core
