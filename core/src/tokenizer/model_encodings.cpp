// Model name → encoding, after tiktoken's model.py (MODEL_TO_ENCODING and
// MODEL_PREFIX_TO_ENCODING). Legacy encodings are listed so that their models get an error that
// names the encoding rather than "unknown model".
#include <array>
#include <string_view>
#include <utility>

#include "llmrt/core/tokenizer.h"
#include "llmrt/sdk/error.h"
#include "tokenizer/encoding_specs.h"

namespace llmrt::core {
namespace {

using Entry = std::pair<std::string_view, std::string_view>;

constexpr std::string_view kO200k = "o200k_base";
constexpr std::string_view kCl100k = "cl100k_base";
constexpr std::string_view kP50k = "p50k_base";
constexpr std::string_view kR50k = "r50k_base";

constexpr std::array kExact = {
    Entry{"o1", kO200k},
    Entry{"o3", kO200k},
    Entry{"o4-mini", kO200k},
    Entry{"gpt-5", kO200k},
    Entry{"gpt-4.1", kO200k},
    Entry{"gpt-4o", kO200k},
    Entry{"gpt-4", kCl100k},
    Entry{"gpt-3.5-turbo", kCl100k},
    Entry{"gpt-3.5", kCl100k},
    Entry{"gpt-35-turbo", kCl100k},
    Entry{"davinci-002", kCl100k},
    Entry{"babbage-002", kCl100k},
    Entry{"text-embedding-ada-002", kCl100k},
    Entry{"text-embedding-3-small", kCl100k},
    Entry{"text-embedding-3-large", kCl100k},
    Entry{"text-davinci-003", kP50k},
    Entry{"text-davinci-002", kP50k},
    Entry{"text-davinci-001", kR50k},
    Entry{"text-curie-001", kR50k},
    Entry{"text-babbage-001", kR50k},
    Entry{"text-ada-001", kR50k},
    Entry{"davinci", kR50k},
    Entry{"curie", kR50k},
    Entry{"babbage", kR50k},
    Entry{"ada", kR50k},
    Entry{"code-davinci-002", kP50k},
    Entry{"code-davinci-001", kP50k},
    Entry{"code-cushman-002", kP50k},
    Entry{"code-cushman-001", kP50k},
    Entry{"davinci-codex", kP50k},
    Entry{"cushman-codex", kP50k},
    Entry{"text-davinci-edit-001", "p50k_edit"},
    Entry{"code-davinci-edit-001", "p50k_edit"},
    Entry{"gpt2", "gpt2"},
    Entry{"gpt-2", "gpt2"},
};

constexpr std::array kPrefixes = {
    Entry{"o1-", kO200k},
    Entry{"o3-", kO200k},
    Entry{"o4-mini-", kO200k},
    Entry{"gpt-5-", kO200k},
    Entry{"gpt-4.5-", kO200k},
    Entry{"gpt-4.1-", kO200k},
    Entry{"chatgpt-4o-", kO200k},
    Entry{"gpt-4o-", kO200k},
    Entry{"gpt-oss-", "o200k_harmony"},
    Entry{"gpt-4-", kCl100k},
    Entry{"gpt-3.5-turbo-", kCl100k},
    Entry{"gpt-35-turbo-", kCl100k},
    Entry{"ft:gpt-4o", kO200k},
    Entry{"ft:gpt-4", kCl100k},
    Entry{"ft:gpt-3.5-turbo", kCl100k},
    Entry{"ft:davinci-002", kCl100k},
    Entry{"ft:babbage-002", kCl100k},
    Entry{"text-similarity-", kR50k},
    Entry{"text-search-", kR50k},
    Entry{"code-search-", kR50k},
};

std::optional<std::string_view> lookup(std::string_view model) {
  for (const auto& [name, encoding] : kExact) {
    if (name == model) return encoding;
  }
  // The longest prefix wins: "ft:gpt-4o-mini:…" is o200k although it starts with "ft:gpt-4".
  std::optional<Entry> best;
  for (const Entry& entry : kPrefixes) {
    if (model.starts_with(entry.first) && (!best || entry.first.size() > best->first.size())) {
      best = entry;
    }
  }
  if (best) return best->second;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> find_encoding_for_model(std::string_view model) {
  auto found = lookup(model);
  if (!found) {
    if (const std::size_t slash = model.rfind('/'); slash != std::string_view::npos) {
      found = lookup(model.substr(slash + 1));
    }
  }
  if (!found) return std::nullopt;
  return std::string(*found);
}

std::string encoding_for_model(std::string_view model) {
  const auto encoding = find_encoding_for_model(model);
  if (!encoding) {
    throw Error(ErrorKind::bad_request,
                "tokenizer: no known encoding for the model \"" + std::string(model) +
                    "\"; name one (cl100k_base or o200k_base) with the model's \"encoding\" "
                    "setting or --encoding");
  }
  if (tokenizer::find_encoding_spec(*encoding) == nullptr) {
    throw Error(ErrorKind::bad_request, "tokenizer: the model \"" + std::string(model) +
                                            "\" uses " + *encoding +
                                            ", which llmrt does not ship (it has cl100k_base "
                                            "and o200k_base)");
  }
  return *encoding;
}

}  // namespace llmrt::core
