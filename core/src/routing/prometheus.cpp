// The Prometheus text exposition format, version 0.0.4:
// https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
#include <charconv>
#include <cmath>
#include <functional>
#include <string_view>

#include "llmrt/core/metrics.h"

namespace llmrt::core {
namespace {

// Label values escape backslash, double quote and line feed; HELP text only the first and last.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// Go's float syntax as Prometheus reads it; the shortest text that reads back as the same double.
void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, end);
  }
}

void append_number(std::string& out, std::uint64_t value) { out += std::to_string(value); }
void append_number(std::string& out, long long value) { out += std::to_string(value); }

using Label = std::pair<std::string_view, std::string_view>;

// name{model="…",provider="…"[,extra="…"]} value
template <typename Number>
void append_sample(std::string& out, std::string_view name, const DeploymentMetrics& deployment,
                   std::initializer_list<Label> extra, Number value) {
  out += name;
  out += "{model=\"";
  append_escaped(out, deployment.model, true);
  out += "\",provider=\"";
  append_escaped(out, deployment.provider, true);
  out += '"';
  for (const auto& [label, label_value] : extra) {
    out += ',';
    out += label;
    out += "=\"";
    append_escaped(out, label_value, true);
    out += '"';
  }
  out += "} ";
  append_number(out, value);
  out += '\n';
}

void append_header(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  append_escaped(out, help, false);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

// One family: its header once, then a sample (or several) per deployment.
void append_family(std::string& out, const MetricsSnapshot& snapshot, std::string_view name,
                   std::string_view type, std::string_view help,
                   const std::function<void(const DeploymentMetrics&)>& samples) {
  append_header(out, name, type, help);
  for (const DeploymentMetrics& deployment : snapshot.deployments) samples(deployment);
}

void append_histogram(std::string& out, std::string_view name, const DeploymentMetrics& deployment,
                      const Histogram& histogram) {
  const std::string bucket = std::string(name) + "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < histogram.bounds.size(); ++i) {
    if (i < histogram.counts.size()) cumulative += histogram.counts[i];
    std::string le;
    append_number(le, histogram.bounds[i]);
    append_sample(out, bucket, deployment, {{"le", le}}, cumulative);
  }
  append_sample(out, bucket, deployment, {{"le", "+Inf"}}, histogram.count);
  append_sample(out, std::string(name) + "_sum", deployment, {}, histogram.sum);
  append_sample(out, std::string(name) + "_count", deployment, {}, histogram.count);
}

}  // namespace

std::string to_prometheus(const MetricsSnapshot& snapshot) {
  std::string out;
  auto counter = [&](std::string_view name, std::string_view help, auto field) {
    append_family(out, snapshot, name, "counter", help,
                  [&](const DeploymentMetrics& d) { append_sample(out, name, d, {}, field(d)); });
  };
  counter("llmrt_calls_total", "Calls that reached the deployment (a retry is not a call).",
          [](const DeploymentMetrics& d) { return d.calls; });
  append_family(out, snapshot, "llmrt_errors_total", "counter",
                "Calls the deployment failed, by error kind.", [&](const DeploymentMetrics& d) {
                  for (const auto& [kind, count] : d.errors) {
                    append_sample(out, "llmrt_errors_total", d, {{"kind", to_string(kind)}}, count);
                  }
                });
  counter("llmrt_retries_total", "Attempts after the first on the deployment.",
          [](const DeploymentMetrics& d) { return d.retries; });
  counter("llmrt_fallbacks_total", "Calls that left the deployment for another.",
          [](const DeploymentMetrics& d) { return d.fallbacks; });
  counter("llmrt_cooldowns_total", "Times the deployment was taken out of rotation for failing.",
          [](const DeploymentMetrics& d) { return d.cooldowns; });
  append_family(
      out, snapshot, "llmrt_tokens_total", "counter",
      "Tokens the deployment reported; cache_read and cache_write are part of prompt, reasoning "
      "part of completion.",
      [&](const DeploymentMetrics& d) {
        const std::pair<std::string_view, long long> types[] = {
            {"prompt", d.prompt_tokens},
            {"completion", d.completion_tokens},
            {"cache_read", d.cache_read_tokens},
            {"cache_write", d.cache_write_tokens},
            {"reasoning", d.reasoning_tokens}};
        for (const auto& [type, tokens] : types) {
          append_sample(out, "llmrt_tokens_total", d, {{"type", type}}, tokens);
        }
      });
  counter("llmrt_cost_total", "What the deployment's calls cost by its configured price.",
          [](const DeploymentMetrics& d) { return d.cost; });
  append_family(out, snapshot, "llmrt_in_flight", "gauge", "Calls on the deployment now.",
                [&](const DeploymentMetrics& d) {
                  append_sample(out, "llmrt_in_flight", d, {}, static_cast<long long>(d.in_flight));
                });
  append_family(out, snapshot, "llmrt_cooling", "gauge",
                "1 while the deployment is out of rotation, else 0.",
                [&](const DeploymentMetrics& d) {
                  append_sample(out, "llmrt_cooling", d, {}, d.cooling ? 1LL : 0LL);
                });
  append_family(out, snapshot, "llmrt_latency_seconds", "histogram",
                "Duration of the deployment's successful calls.", [&](const DeploymentMetrics& d) {
                  append_histogram(out, "llmrt_latency_seconds", d, d.latency);
                });
  append_family(out, snapshot, "llmrt_time_to_first_token_seconds", "histogram",
                "Time until the first event of the deployment's successful streamed calls.",
                [&](const DeploymentMetrics& d) {
                  append_histogram(out, "llmrt_time_to_first_token_seconds", d,
                                   d.time_to_first_token);
                });
  return out;
}

}  // namespace llmrt::core
