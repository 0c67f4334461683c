#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chat/call.h"
#include "routing/load_stats.h"
#include "routing/route_cursor.h"
#include "routing/route_node.h"

namespace llmrt::core {

// One call of a ChatModel, across the deployments its node stands for: a Call on the deployment
// the route picks, and on a failure worth moving for, a new Call on the next (RouteCursor says
// which). Each move is told to CallControl::on_route; the final error lists every deployment
// tried. One deadline and one cancellation hold for all of them. Keeps each deployment's
// counters, load and latency, and fills the result's served_by and cost.
class RoutedCall {
 public:
  // The call's request for one deployment (its model name, template and parameters). Shared,
  // not a value: a plain model's one request, rendered before the call, is handed to its call
  // without a copy (and held here, not in a closure that would take an allocation of its own);
  // a route renders it for each deployment it picks.
  struct Prepare {
    std::shared_ptr<const ChatRequest> fixed;
    std::function<std::shared_ptr<const ChatRequest>(const ModelState&)> per_deployment;

    std::shared_ptr<const ChatRequest> operator()(const ModelState& deployment) const {
      return fixed ? fixed : per_deployment(deployment);
    }
  };

  RoutedCall(std::shared_ptr<const RouteNode> root, Prepare prepare, CallControl control,
             bool streamed);
  ~RoutedCall();
  RoutedCall(const RoutedCall&) = delete;
  RoutedCall& operator=(const RoutedCall&) = delete;

  ChatResult run_whole();

  // The streaming side, as StreamSession drives it (see Call): a stream opens on one
  // deployment; before anything reached the caller, a failure may move it to the next.
  std::unique_ptr<ResponseStream> open_stream();
  std::unique_ptr<ResponseStream> reopen_after(const Error& failure);
  std::unique_ptr<StreamDecoder> new_decoder(const ResponseStream& response) const;
  // The first event reached the caller: the time to first token.
  void delivered();
  // The stream completed with `result`: served_by and cost are filled in.
  void finish(ChatResult& result);

  // A final failure as the caller sees it (Call::completed), with the deployments tried
  // before it listed when there were several.
  Error completed(const Error& error);
  // A failure as it came in from the provider's side (Call::received).
  Error received(const Error& error) const { return call_->received(error); }

  const std::vector<std::string>& warnings() const noexcept { return call_->warnings(); }
  const ChatRequest& request() const noexcept { return call_->request(); }
  std::size_t max_body_bytes() const noexcept { return call_->max_body_bytes(); }
  std::size_t max_stream_bytes() const noexcept { return call_->max_stream_bytes(); }
  ChatResult parse(const HttpResponse& response) const { return call_->parse(response); }
  CancelToken& cancel_token() const noexcept { return *control_.cancel; }

 private:
  using Clock = std::chrono::steady_clock;

  // A Call on the cursor's first deployment; throws when every target is cooling down.
  void start();
  void begin(const ModelState& deployment);
  // The current deployment failed with `failure` (completed): records it and begins the next
  // deployment, or returns false when none is left.
  bool move_on(const Error& failure);
  void record_success(ChatResult& result);
  // The current deployment's failure in its counters, once.
  void count_failure(ErrorKind kind);

  std::shared_ptr<const RouteNode> root_;
  Prepare prepare_;
  CallControl control_;
  CursorEnv env_;
  RouteCursor cursor_;
  std::unique_ptr<Call> call_;
  std::optional<LoadStats::InFlight> in_flight_;
  Clock::time_point started_{};
  std::optional<Clock::duration> first_token_;
  std::vector<std::string> attempts_;  // "gpt: server (HTTP 500)" for each deployment left
  std::optional<Error> refused_;       // why a target's budget could never hold the request
  bool health_recorded_ = false;       // the current deployment's health saw its failure
  bool failure_counted_ = false;       // its counters did
  bool listed_ = false;                // the final error carries attempts_
};

}  // namespace llmrt::core
