// Whole-reply chat calls.
#include "errors.h"
#include "handles.h"
#include "inputs.h"

extern "C" {

llmrt_result* llmrt_chat(const llmrt_model* model, const char* messages_json,
                         const char* params_json, llmrt_cancel* cancel, llmrt_error** error) {
  if (!llmrt::c_api::present(model, "llmrt_chat", "model", error) ||
      !llmrt::c_api::present(messages_json, "llmrt_chat", "messages_json", error)) {
    return nullptr;
  }
  llmrt_result* made = nullptr;
  llmrt::c_api::guarded(error, [&] {
    std::vector<llmrt::Message> messages = llmrt::c_api::read_messages(messages_json);
    llmrt::core::ParamOverrides params = llmrt::c_api::read_params(params_json);
    made =
        new llmrt_result(model->model.chat(messages, params, llmrt::c_api::read_control(cancel)));
  });
  return made;
}

llmrt_result* llmrt_chat_prompt(const llmrt_model* model, const char* prompt, llmrt_error** error) {
  if (!llmrt::c_api::present(model, "llmrt_chat_prompt", "model", error) ||
      !llmrt::c_api::present(prompt, "llmrt_chat_prompt", "prompt", error)) {
    return nullptr;
  }
  llmrt_result* made = nullptr;
  llmrt::c_api::guarded(error, [&] {
    std::vector<llmrt::Message> messages{{.role = "user", .content = prompt}};
    made = new llmrt_result(model->model.chat(messages));
  });
  return made;
}

}  // extern "C"
