#pragma once

#include "handles.h"

namespace llmrt::c_api {

// The C view of a stream event, pointing into `event` and `slot`: valid while both are.
// Null for the events the core never hands out (errors and the end, which it reports itself).
const llmrt_event* to_c_event(const StreamEvent& event, CEventSlot& slot);

}  // namespace llmrt::c_api
