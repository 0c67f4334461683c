#pragma once

// The tokenizer's UTF-8 rules are the SDK's (llmrt/sdk/utf8.h): one definition of "ill-formed"
// and of its repair for everything llmrt reads and writes.
#include "llmrt/sdk/utf8.h"

namespace llmrt::core::tokenizer {

using llmrt::is_valid_utf8;
using llmrt::leading_sequence_length;
using llmrt::repair_utf8;
using llmrt::valid_utf8_prefix;

}  // namespace llmrt::core::tokenizer
