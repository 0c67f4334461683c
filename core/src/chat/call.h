#pragma once

#include <memory>
#include <optional>

#include <functional>

#include "chat/model_state.h"
#include "llmrt/core/call_control.h"
#include "llmrt/core/key_pool.h"

namespace llmrt::core {

// One call with its attempts: picks a key for each, sends, classifies a failure, tells the key
// pool about it, and waits or switches keys before the next attempt, within the retry policy,
// the total deadline and a cancellation. Every loop in here is bounded: retries by
// RetryPolicy::max_retries, key switches by the number of keys.
// What a route tells the call of one of its deployments.
struct CallRouting {
  // The route's deadline: all its deployments share one (the earlier of this and the model's
  // own total timeout holds).
  std::optional<std::chrono::steady_clock::time_point> deadline{};
  // Whether another deployment can take the call: then a deployment that cooled down is not
  // retried.
  std::function<bool()> can_leave{};
};

class Call {
 public:
  using Routing = CallRouting;

  Call(std::shared_ptr<const ModelState> model, std::shared_ptr<const ChatRequest> request,
       CallControl control, Routing routing = {});

  // The whole reply (non-streamed).
  ChatResult run_whole();
  // Attempts until a streamed response with a 2xx status is open.
  std::unique_ptr<ResponseStream> open_stream();
  // After a stream failed before anything reached the caller: waits or switches keys as the
  // policy says and opens a new stream, or throws the failure when it must not be retried.
  // `failure` has come in through received(): it is not cut here.
  std::unique_ptr<ResponseStream> reopen_after(const Error& failure);

  // A decoder for the body of `response`, which it sees the status and headers of.
  std::unique_ptr<StreamDecoder> new_decoder(const ResponseStream& response) const;
  // What the plugin dropped or changed in rendering the request (HttpRequest::warnings).
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }
  const ChatRequest& request() const noexcept { return *request_; }
  const std::string& provider_name() const noexcept { return model_->provider_name; }
  std::size_t max_body_bytes() const noexcept { return model_->config.transport.max_body_bytes; }
  std::size_t max_stream_bytes() const noexcept {
    return model_->config.transport.max_stream_bytes;
  }
  CancelToken& cancel_token() const noexcept { return *control_.cancel; }

  // The usage the provider reported, in place of the rate budgets' estimate.
  void correct_usage(const std::optional<Usage>& usage);
  const ModelState& model() const noexcept { return *model_; }

  // The error as the caller sees it: the provider named, the URL of the attempt that failed
  // (when it got that far), every secret of the model (any of its keys, URL userinfo, query
  // values) taken out of every string, wherever the provider quoted it.
  Error completed(const Error& error) const;
  // A failure as it came from the provider's side (the plugin's reading of a reply, the
  // transport): its secrets taken out, then what the server said in it cut to its bounds
  // (error_bounds.h). Once, where it comes in: what llmrt adds to the message later (the keys'
  // state, the deployments a route tried) is not cut.
  Error received(const Error& error) const;
  // The provider's reading of a whole 2xx reply; its errors carry the reply's status.
  ChatResult parse(const HttpResponse& response) const;

 private:
  HttpRequest next_request();
  // Waits for room in the key's rate budget and then the deployment's (when they limit).
  void reserve_budget();
  // The attempt's response head arrived (or it failed): its budget units start to age out,
  // and the provider's rate-limit headers tighten the key's budget.
  void settle_budget(const HttpHeaders& headers);
  // Returns when the call should be tried again (after waiting), throws the error otherwise.
  void after_failure(const Error& failure, const HttpHeaders& headers);
  void notify_and_wait(const ErrorInfo& info, std::chrono::milliseconds delay);

  std::shared_ptr<const ModelState> model_;
  std::shared_ptr<const ChatRequest> request_;  // never null
  CallControl control_;
  Routing routing_;
  RequestContext context_;
  std::optional<KeyPool::Lease> lease_;
  RateBudget::Permit permit_;
  RateBudget::Permit key_permit_;
  std::optional<long long> estimate_;  // tokens, computed once when a budget counts them
  std::string url_;                    // the current attempt's; empty until its request is built
  std::vector<std::string> warnings_;
  int retries_ = 0;
  int key_switches_ = 0;
};

}  // namespace llmrt::core
