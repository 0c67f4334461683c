// Cancel tokens: a shared core::CancelToken behind a C handle.
#include "errors.h"
#include "handles.h"

extern "C" {

llmrt_cancel* llmrt_cancel_new(llmrt_error** error) {
  llmrt_cancel* made = nullptr;
  llmrt::c_api::guarded(error, [&] { made = new llmrt_cancel(); });
  return made;
}

void llmrt_cancel_cancel(llmrt_cancel* cancel) {
  if (cancel == nullptr) return;
  try {
    cancel->token->cancel();
  } catch (...) {
    // An interrupt that failed to close its connection: the flag is set and the call sees it
    // when it next checks, which is all a C caller can be told.
  }
}

int llmrt_cancel_is_cancelled(const llmrt_cancel* cancel) {
  return cancel != nullptr && cancel->token->cancelled() ? 1 : 0;
}

void llmrt_cancel_free(llmrt_cancel* cancel) { delete cancel; }

}  // extern "C"
