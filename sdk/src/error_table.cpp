#include "llmrt/sdk/error_table.h"

#include <cctype>
#include <charconv>
#include <string>

#include "llmrt/sdk/snippet.h"

namespace llmrt {
namespace {

bool is_error_status(long long status) { return status >= 400 && status <= 599; }

bool matches_pattern(std::string_view pattern, std::string_view value) {
  if (pattern.empty()) return true;
  if (pattern.back() == '*') {
    pattern.remove_suffix(1);
    return value.substr(0, pattern.size()) == pattern;
  }
  return value == pattern;
}

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool contains_ignoring_case(std::string_view text, std::string_view words) {
  if (words.empty()) return true;
  if (words.size() > text.size()) return false;
  for (std::size_t at = 0; at + words.size() <= text.size(); ++at) {
    std::size_t i = 0;
    while (i < words.size() && lower(text[at + i]) == lower(words[i])) ++i;
    if (i == words.size()) return true;
  }
  return false;
}

bool matches_status(const ErrorRule& rule, int status) {
  if (rule.status == 0) return true;
  if (rule.status == kNoErrorStatus) return !is_error_status(status);
  if (rule.status_max == 0) return status == rule.status;
  return status >= rule.status && status <= rule.status_max;
}

std::optional<long long> number_in(std::string_view text) {
  long long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

// The HTTP error status an error object stands for when the response's own says nothing:
// its "status_code" (vLLM, LiteLLM) or "status", or a code that is one (OpenRouter). 0: none.
int status_inside(const json::Value& error, std::string_view code) {
  for (std::string_view key : {"status_code", "status"}) {
    const long long n = error[key].as_int64().value_or(0);
    if (is_error_status(n)) return static_cast<int>(n);
  }
  const std::optional<long long> n = number_in(code);
  return n && is_error_status(*n) ? static_cast<int>(*n) : 0;
}

}  // namespace

bool matches(const ErrorRule& rule, const ErrorFields& fields) noexcept {
  return matches_status(rule, fields.status) && matches_pattern(rule.type, fields.type) &&
         matches_pattern(rule.code, fields.code) &&
         contains_ignoring_case(fields.message, rule.message);
}

const ErrorRule* find_error_rule(const ErrorTable& table, const ErrorFields& fields) noexcept {
  for (const ErrorTable* t = &table; t != nullptr; t = t->next) {
    for (const ErrorRule& rule : t->rules) {
      if (matches(rule, fields)) return &rule;
    }
  }
  return nullptr;
}

void classify(const ErrorTable& table, const ErrorFields& fields, ErrorInfo& info,
              std::optional<ErrorKind> fallback) noexcept {
  if (const ErrorRule* rule = find_error_rule(table, fields)) {
    info.kind = rule->kind;
    info.retryable = rule->retryable;
    return;
  }
  info.retryable.reset();
  if (auto kind = kind_for_http_status(fields.status)) {
    info.kind = *kind;
  } else {
    info.kind = fallback.value_or(fields.status == 0 ? ErrorKind::server : ErrorKind::protocol);
  }
}

ErrorInfo error_from_json(const json::Value& error, const ErrorTable& table, int http_status,
                          std::optional<ErrorKind> fallback) {
  ErrorInfo info;
  info.http_status = http_status;
  std::string_view type;
  if (error.is_string()) {
    info.message = error.str();
  } else {
    info.message = error["message"].str();
    if (info.message.empty()) info.message = error["msg"].str();
    info.code = error["code"].text();
    type = error["type"].str();
    info.request_id = error["request_id"].str();
  }
  if (info.code.empty()) info.code = type;
  ErrorFields fields{http_status, type, info.code, info.message};
  if (!is_error_status(http_status) && error.is_object()) {
    if (const int inside = status_inside(error, info.code); inside != 0) fields.status = inside;
  }
  classify(table, fields, info, fallback);
  return info;
}

ErrorInfo error_from_response(const HttpResponse& response, const ErrorTable& table) {
  ErrorInfo info;
  std::optional<json::Document> doc = json::Document::try_parse(response.body);
  const json::Value root = doc ? doc->root() : json::Value();
  if (root.is_object()) {
    const json::Value error = root["error"];
    const bool nested = error.is_object() || error.is_string();
    info = error_from_json(nested ? error : root, table, response.status);
    if (info.request_id.empty()) info.request_id = root["request_id"].str();
  } else {
    info.http_status = response.status;
    if (!response.body.empty()) info.message = snippet(response.body);
    classify(table, ErrorFields{response.status, {}, {}, info.message}, info);
  }
  if (info.message.empty()) info.message = "HTTP " + std::to_string(response.status);
  if (info.request_id.empty()) info.request_id = request_id_from(response.headers);
  return info;
}

}  // namespace llmrt
