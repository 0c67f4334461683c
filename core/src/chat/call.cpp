#include "chat/call.h"

#include <algorithm>
#include <random>

#include "async/fiber_loop.h"
#include "diagnostics/error_bounds.h"
#include "diagnostics/redactor.h"
#include "llmrt/core/log.h"
#include "llmrt/core/retry_policy.h"
#include "llmrt/core/stop_word_filter.h"
#include "routing/token_estimate.h"

namespace llmrt::core {
namespace {

using Clock = std::chrono::steady_clock;

// Room in a budget is taken at once; on a fiber, waiting for it is done on a helper thread.
RateBudget::Permit take_permit(RateBudget& budget, long long tokens, CancelToken& cancel,
                               std::optional<Clock::time_point> deadline) {
  if (FiberLoop* loop = FiberLoop::current(); loop != nullptr && !cancel.cancelled()) {
    Clock::time_point retry_at{};
    if (auto permit = budget.try_acquire(tokens, Clock::now(), &retry_at)) {
      return std::move(*permit);
    }
    return loop->run_blocking([&] { return budget.acquire(tokens, cancel, deadline); });
  }
  return budget.acquire(tokens, cancel, deadline);
}

double jitter() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

Call::Call(std::shared_ptr<const ModelState> model, std::shared_ptr<const ChatRequest> request,
           CallControl control, Routing routing)
    : model_(std::move(model)),
      request_(std::move(request)),
      control_(std::move(control)),
      routing_(std::move(routing)) {
  if (!control_.cancel) control_.cancel = std::make_shared<CancelToken>();
  context_.cancel = control_.cancel.get();
  auto total = model_->config.transport.total_timeout;
  if (total.count() > 0) context_.deadline = Clock::now() + total;
  if (routing_.deadline && (!context_.deadline || *routing_.deadline < *context_.deadline)) {
    context_.deadline = routing_.deadline;
  }
}

Error Call::completed(const Error& error) const {
  ErrorInfo info = error.info();
  if (info.provider.empty()) info.provider = model_->provider_name;
  if (info.url.empty() && !url_.empty()) info.url = url_without_secrets(url_);
  // Every string of the error leaves through the model's redactor. The partial content is the
  // reply as it reached the caller: passed on as it is.
  return Error(model_->redactor->apply(std::move(info)), error.partial_content());
}

Error Call::received(const Error& error) const {
  // Redacted before the cut: a key the cut split in two would no longer be found whole.
  return Error(bounded(model_->redactor->apply(error.info())), error.partial_content());
}

void Call::reserve_budget() {
  DeploymentLive& live = *model_->live;
  auto tokens = [&](const RateBudget& budget) {
    if (!budget.counts_tokens()) return 0LL;
    if (!estimate_) estimate_ = estimate_request_tokens(*model_, *request_);
    return *estimate_;
  };
  // The key first: a call waiting for its key's reset must not hold a place in the deployment's
  // budget meanwhile, which the calls on its other keys need.
  lease_ = model_->keys->acquire();
  // Taken even when nothing limits the key yet: the provider's next remaining count is read
  // against the requests in flight, and this one is.
  RateBudget& key_budget = *live.key_budgets.at(lease_->index);
  key_permit_ = take_permit(key_budget, tokens(key_budget), *control_.cancel, context_.deadline);
  if (live.budget.limited()) {
    permit_ = take_permit(live.budget, tokens(live.budget), *control_.cancel, context_.deadline);
  }
}

void Call::settle_budget(const HttpHeaders& headers) {
  const auto now = Clock::now();
  if (permit_) permit_.settle(now);
  if (key_permit_) key_permit_.settle(now);
  if (lease_ && !headers.empty()) {
    model_->live->key_budgets.at(lease_->index)->observe(headers, now);
  }
}

void Call::correct_usage(const std::optional<Usage>& usage) {
  // No request costs a trillion tokens: a count beyond that is a hostile server's, and the
  // budget's sums must not overflow on it.
  constexpr long long kMostTokens = 1'000'000'000'000;
  if (!usage || usage->total_tokens <= 0) return;
  const long long tokens = std::min(usage->total_tokens, kMostTokens);
  if (permit_) permit_.correct(tokens);
  if (key_permit_) key_permit_.correct(tokens);
}

HttpRequest Call::next_request() {
  url_.clear();
  try {
    reserve_budget();
    HttpRequest http = model_->provider->build_request(*request_, lease_->credentials);
    url_ = http.url;
    if (warnings_.empty() && !http.warnings.empty()) {
      // Every attempt renders the same request: reported once.
      warnings_ = std::move(http.warnings);
      for (const std::string& w : warnings_) log(LogLevel::warn, model_->provider_name + ": " + w);
    }
    if (log_enabled(LogLevel::debug)) {
      log(LogLevel::debug, http.method + " " + url_without_secrets(http.url) + " (" +
                               model_->provider_name + ", key " +
                               mask_key(lease_->credentials.api_key) + ", " +
                               std::to_string(http.body.size()) + " bytes)");
    }
    return http;
  } catch (const Error& e) {
    throw completed(e);
  }
}

std::unique_ptr<StreamDecoder> Call::new_decoder(const ResponseStream& response) const {
  return model_->provider->new_stream_decoder(*request_,
                                              StreamContext{.status = response.status(),
                                                            .headers = response.headers(),
                                                            .limits = model_->config.limits});
}

ChatResult Call::parse(const HttpResponse& response) const {
  try {
    return model_->provider->parse_response(response);
  } catch (const Error& e) {
    // A reply the plugin could not read under a 2xx (an empty 204, a body cut short by the
    // server's own framing): the status it came with is part of what went wrong.
    if (e.info().http_status != 0) throw;
    ErrorInfo info = e.info();
    info.http_status = response.status;
    throw Error(std::move(info), e.partial_content());
  }
}

ChatResult Call::run_whole() {
  while (true) {
    HttpRequest http = next_request();
    // Out here: a reply refused after it came keeps its fields for the retry.
    HttpResponse response;
    try {
      response = model_->transport->send(http, context_);
      settle_budget(response.headers);
      if (!is_success(response.status)) throw Error(model_->provider->classify_error(response));
      ChatResult result = parse(response);
      // Servers that ignore `stop` still get their reply cut where llmrt promised.
      if (std::size_t at = find_first_stop(result.content, request_->params.stop_words);
          at != std::string::npos) {
        result.content.resize(at);
        result.finish_reason = FinishReason::stop;
        result.finish_reason_raw = "stop";
      }
      correct_usage(result.usage);
      result.warnings = warnings_;
      return result;
    } catch (const Error& e) {
      // The fields go on (a Retry-After), not the body: the wait before a retry holds no reply.
      HttpHeaders headers = std::move(response.headers);
      response = {};
      after_failure(completed(received(e)), headers);
    }
  }
}

std::unique_ptr<ResponseStream> Call::open_stream() {
  while (true) {
    HttpRequest http = next_request();
    HttpHeaders headers;
    try {
      std::unique_ptr<ResponseStream> response = model_->transport->open(http, context_);
      settle_budget(response->headers());
      if (is_success(response->status())) return response;
      headers = response->headers();
      HttpResponse failed{response->status(), headers, response->read_all(max_body_bytes())};
      throw Error(model_->provider->classify_error(failed));
    } catch (const Error& e) {
      after_failure(completed(received(e)), headers);
    }
  }
}

std::unique_ptr<ResponseStream> Call::reopen_after(const Error& failure) {
  after_failure(completed(failure), {});
  return open_stream();
}

void Call::after_failure(const Error& failure, const HttpHeaders& headers) {
  if (control_.cancel->cancelled() && failure.kind() != ErrorKind::cancelled) {
    throw Error(ErrorInfo{.kind = ErrorKind::cancelled,
                          .message = "cancelled",
                          .provider = failure.info().provider},
                failure.partial_content());
  }
  const RetryPolicy& policy = model_->config.retry;
  auto now = Clock::now();
  settle_budget({});
  // What the server asked for, however long (a day; a date next week), and what llmrt itself
  // waits for: the same, up to max_retry_after.
  const std::optional<std::chrono::milliseconds> asked =
      retry_after_hint(headers, std::chrono::system_clock::now(), kLongestAskedWait);
  std::optional<std::chrono::milliseconds> hint = retry_after_within(asked, policy.max_retry_after);
  if (!hint) hint = retry_after_within(failure.info().retry_after, policy.max_retry_after);
  // The error a caller gets carries the wait the server asked for in its headers too, as it
  // carries a hint a plugin read from the body, even one longer than llmrt would wait: a host
  // program decides when to try again.
  Error error = failure;
  if (asked && !failure.info().retry_after) {
    ErrorInfo with_hint = failure.info();
    with_hint.retry_after = asked;
    error = Error(std::move(with_hint), failure.partial_content());
  }
  const ErrorInfo& info = error.info();
  DeploymentLive& live = *model_->live;
  if (live.health.record_failure(info.kind, hint, now)) {
    live.metrics.cooled_down();
    log(LogLevel::warn, "model " + model_->name + " cooling down after " +
                            std::to_string(model_->config.health.failures) +
                            " failures (last: " + std::string(to_string(info.kind)) + ")");
  }
  // A route has somewhere else to go: a deployment that is cooling down is not retried.
  if (routing_.can_leave && live.health.cooling_until(now) && routing_.can_leave()) throw error;

  if (is_key_failure(info.kind) && lease_) {
    auto cooldown = hint.value_or(backoff_delay(retries_, jitter(), policy));
    model_->keys->report(lease_->index, info.kind, cooldown, now);
    if (info.kind != ErrorKind::rate_limited) {
      log(LogLevel::warn, "key " + mask_key(lease_->credentials.api_key) +
                              " taken out: " + std::string(to_string(info.kind)));
    }
    // Another key may well succeed at once: no wait, and no retry spent — the number of keys
    // bounds these switches.
    if (model_->keys->ready_count(now) > 0 &&
        key_switches_ < static_cast<int>(model_->keys->size())) {
      ++key_switches_;
      notify_and_wait(info, std::chrono::milliseconds(0));
      return;
    }
    if (info.kind != ErrorKind::rate_limited) {
      ErrorInfo out = info;
      out.message += " (" + model_->keys->describe(now) + ")";
      throw Error(std::move(out), error.partial_content());
    }
  }
  if (!is_retryable(info, headers) || retries_ >= policy.max_retries) throw error;
  auto delay = hint.value_or(backoff_delay(retries_, jitter(), policy));
  if (context_.deadline && now + delay >= *context_.deadline) throw error;  // no time to retry
  ++retries_;
  notify_and_wait(info, delay);
}

void Call::notify_and_wait(const ErrorInfo& info, std::chrono::milliseconds delay) {
  RetryNotice notice{retries_ + key_switches_, info.kind, info.http_status, delay,
                     lease_ ? mask_key(lease_->credentials.api_key) : std::string()};
  log(LogLevel::info, "retry " + std::to_string(notice.attempt) + " in " +
                          std::to_string(delay.count()) + " ms after " +
                          std::string(to_string(info.kind)) + " (key " + notice.key + ")");
  model_->live->metrics.retried();
  if (control_.on_retry) control_.on_retry(notice);
  if (delay.count() <= 0) return;
  // On a fiber, the wait is a helper thread's: the loop's other calls go on.
  if (model_->config.wait_hook) {
    off_the_loop([&] { model_->config.wait_hook(delay); });
  } else if (off_the_loop([&] { return control_.cancel->wait_for(delay); })) {
    throw Error(ErrorInfo{.kind = ErrorKind::cancelled,
                          .message = "cancelled while waiting to retry",
                          .provider = info.provider});
  }
}

}  // namespace llmrt::core
