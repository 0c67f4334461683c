#pragma once

// Every library of llmrt is built with hidden visibility. Types that cross the plugin boundary
// (the Provider interface, the error class) are marked visible so that their type_info is one
// and the same in the core and in each plugin: exceptions thrown by a plugin are then caught by
// their real type in the core.
#define LLMRT_VISIBLE __attribute__((visibility("default")))
