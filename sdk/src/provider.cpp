#include "llmrt/sdk/provider.h"

namespace llmrt {

// Out of line so that each binary has one vtable and one type_info for the interfaces.
StreamDecoder::~StreamDecoder() = default;
Provider::~Provider() = default;

}  // namespace llmrt
