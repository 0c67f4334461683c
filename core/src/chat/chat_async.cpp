// The async forms of ChatModel's calls: the same calls, on threads of their own.
#include <future>
#include <memory>
#include <utility>

#include "llmrt/core/chat_model.h"

namespace llmrt::core {

std::future<ChatResult> ChatModel::chat_async(std::vector<Message> messages,
                                              ParamOverrides overrides, CallControl control) const {
  // The copy of this model shares its transport and keys; the thread owns its arguments.
  return std::async(
      std::launch::async,
      [model = *this, messages = std::move(messages), overrides = std::move(overrides),
       control = std::move(control)] { return model.chat(messages, overrides, control); });
}

StreamHandle ChatModel::stream_chat_async(std::vector<Message> messages, ParamOverrides overrides,
                                          EventCallback on_event, CallControl control) const {
  if (!control.cancel) control.cancel = std::make_shared<CancelToken>();
  std::shared_ptr<CancelToken> cancel = control.cancel;
  std::future<ChatResult> done =
      std::async(std::launch::async,
                 [model = *this, messages = std::move(messages), overrides = std::move(overrides),
                  on_event = std::move(on_event), control = std::move(control)] {
                   return model.stream_chat(messages, overrides, on_event, control);
                 });
  return StreamHandle(std::move(done), std::move(cancel));
}

}  // namespace llmrt::core
