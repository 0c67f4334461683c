#include "routing/routed_call.h"

#include <algorithm>

#include "llmrt/core/log.h"
#include "llmrt/core/price.h"
#include "llmrt/core/retry_policy.h"
#include "routing/token_estimate.h"

namespace llmrt::core {
namespace {

// What a failed call counts as in a deployment's latency average (lowest_latency).
constexpr std::chrono::seconds kFailureLatency{10};

// One deployment's failure in the final error's list: enough to tell the failures apart.
std::string describe(const ModelState& deployment, const ErrorInfo& info) {
  constexpr std::size_t kMaxMessage = 160;
  std::string out = deployment.name + ": " + std::string(to_string(info.kind));
  if (info.http_status != 0) out += ", HTTP " + std::to_string(info.http_status);
  if (info.message.size() > kMaxMessage) {
    // Cut between characters: the error goes out as JSON (--events, batch lines).
    std::size_t cut = kMaxMessage;
    while (cut > 0 && (static_cast<unsigned char>(info.message[cut]) & 0xC0) == 0x80) --cut;
    out += ": " + info.message.substr(0, cut) + "…";
  } else if (!info.message.empty()) {
    out += ": " + info.message;
  }
  return out;
}

}  // namespace

RoutedCall::RoutedCall(std::shared_ptr<const RouteNode> root, Prepare prepare, CallControl control,
                       bool streamed)
    : root_(std::move(root)),
      prepare_(std::move(prepare)),
      control_(std::move(control)),
      cursor_(*root_, env_) {
  if (!control_.cancel) control_.cancel = std::make_shared<CancelToken>();
  env_.streamed = streamed;
  env_.cancel = control_.cancel.get();
  // One deadline for the whole call, wherever it goes: the first deployment's total timeout.
  auto total = root_->primary().config.transport.total_timeout;
  if (total.count() > 0) env_.deadline = Clock::now() + total;
  env_.estimate = [this](const ModelState& deployment) {
    return estimate_request_tokens(deployment, *prepare_(deployment));
  };
  env_.refused = [this](const Error& e) {
    if (!refused_) refused_ = e;
  };
  start();
}

RoutedCall::~RoutedCall() = default;

void RoutedCall::start() {
  const ModelState* first = cursor_.start();
  if (first != nullptr) {
    begin(*first);
    return;
  }
  if (control_.cancel->cancelled()) {
    throw Error(ErrorInfo{.kind = ErrorKind::cancelled, .message = "cancelled"});
  }
  if (refused_ && !cursor_.cooling_until()) throw *refused_;  // nothing else could ever take it
  ErrorInfo info{.kind = ErrorKind::server,
                 .message = "every deployment of '" + root_->name + "' is cooling down"};
  if (auto until = cursor_.cooling_until()) {
    auto wait = std::chrono::ceil<std::chrono::milliseconds>(*until - Clock::now());
    info.message += " (the first is back in " + std::to_string(wait.count()) + " ms";
    info.message += root_->route.when_all_cooling == WhenAllCooling::fail
                        ? "; the route's when_all_cooling is \"fail\")"
                        : ", after the call's deadline)";
    info.retry_after = wait;
  }
  throw Error(std::move(info));
}

void RoutedCall::begin(const ModelState& deployment) {
  // Shares the root's ownership: the deployment lives as long as this call does.
  std::shared_ptr<const ModelState> model(root_, &deployment);
  Call::Routing routing{.deadline = env_.deadline,
                        .can_leave = [this] { return cursor_.has_alternatives(); }};
  call_ =
      std::make_unique<Call>(std::move(model), prepare_(deployment), control_, std::move(routing));
  in_flight_.reset();
  in_flight_.emplace(deployment.live->load);
  started_ = Clock::now();
  first_token_.reset();
  health_recorded_ = false;
  failure_counted_ = false;
  deployment.live->metrics.call_started();
}

bool RoutedCall::move_on(const Error& failure) {
  const ModelState& from = call_->model();
  const ErrorInfo& info = failure.info();
  health_recorded_ = true;  // the Call's retry loop saw this failure
  count_failure(info.kind);
  if (info.kind == ErrorKind::cancelled) return false;
  // The call's one deadline has passed: each deployment left would fail at once with a timeout,
  // and have it counted against its health.
  if (env_.deadline && Clock::now() >= *env_.deadline) return false;
  const ModelState* next = cursor_.after(failure);
  if (next == nullptr) return false;
  begin(*next);  // first: a request that cannot be rendered for it is no move
  from.live->metrics.fell_back();
  attempts_.push_back(describe(from, info));
  RouteNotice notice{.from = from.name,
                     .to = next->name,
                     .reason = std::string(to_string(info.kind)),
                     .http_status = info.http_status,
                     .message = info.message};
  log(LogLevel::info, "route " + root_->name + ": " + from.name + " failed (" + notice.reason +
                          "), trying " + next->name);
  if (control_.on_route) control_.on_route(notice);
  return true;
}

void RoutedCall::count_failure(ErrorKind kind) {
  if (failure_counted_) return;
  failure_counted_ = true;
  DeploymentLive& live = *call_->model().live;
  live.metrics.call_failed(kind);
  in_flight_.reset();
  // A deployment that fails is no fast one: without this, one that never answers would never be
  // measured, and lowest_latency tries the unmeasured first. The deployment's fault only.
  if (moves_on(kind)) {
    live.load.record(std::max<Clock::duration>(Clock::now() - started_, kFailureLatency),
                     env_.streamed);
  }
}

ChatResult RoutedCall::run_whole() {
  while (true) {
    try {
      ChatResult result = call_->run_whole();
      record_success(result);
      return result;
    } catch (const Error& e) {
      if (!move_on(e)) throw completed(e);
    }
  }
}

std::unique_ptr<ResponseStream> RoutedCall::open_stream() {
  while (true) {
    try {
      return call_->open_stream();
    } catch (const Error& e) {
      if (!move_on(e)) throw completed(e);
    }
  }
}

std::unique_ptr<ResponseStream> RoutedCall::reopen_after(const Error& failure) {
  try {
    return call_->reopen_after(failure);
  } catch (const Error& e) {
    if (!move_on(e)) throw;  // the session completes it
  }
  return open_stream();
}

std::unique_ptr<StreamDecoder> RoutedCall::new_decoder(const ResponseStream& response) const {
  return call_->new_decoder(response);
}

void RoutedCall::delivered() {
  if (first_token_) return;
  first_token_ = Clock::now() - started_;
  call_->model().live->load.record(*first_token_, true);
}

void RoutedCall::finish(ChatResult& result) { record_success(result); }

void RoutedCall::record_success(ChatResult& result) {
  const ModelState& deployment = call_->model();
  call_->correct_usage(result.usage);
  result.served_by = deployment.name;
  if (deployment.config.price && result.usage) {
    result.cost = cost_of(*result.usage, *deployment.config.price);
  }
  const Clock::duration latency = Clock::now() - started_;
  if (!env_.streamed) deployment.live->load.record(latency, false);
  deployment.live->metrics.call_succeeded(latency, first_token_, result.usage, result.cost);
  in_flight_.reset();
}

Error RoutedCall::completed(const Error& error) {
  const ModelState& deployment = call_->model();
  const ErrorInfo& raw = error.info();
  if (!health_recorded_) {
    // A stream that failed after delivering: its retry loop never saw this failure.
    health_recorded_ = true;
    auto hint = retry_after_within(raw.retry_after, deployment.config.retry.max_retry_after);
    if (deployment.live->health.record_failure(raw.kind, hint, Clock::now())) {
      deployment.live->metrics.cooled_down();
    }
  }
  count_failure(raw.kind);
  Error out = call_->completed(error);
  if (attempts_.empty() || listed_) return out;
  listed_ = true;
  ErrorInfo info = out.info();
  std::string tried;
  for (const std::string& attempt : attempts_) tried += attempt + "; ";
  info.message += " (route " + root_->name + " tried " + tried + "then " + deployment.name + ")";
  return Error(std::move(info), out.partial_content());
}

}  // namespace llmrt::core
