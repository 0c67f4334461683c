#include "config/price_reader.h"

namespace llmrt::core {

Price read_price(const ConfigReader& r, const ConfigReader::Value& v, const std::string& path) {
  r.object(v, path, {"input", "output", "cached_input", "cache_write", "reasoning"});
  // A price with one of the two main rates left out would make every call look cheaper than
  // it is; the others default to the rate they are a kind of (price.h).
  r.required(v, "input", path, "the price of a million prompt tokens");
  r.required(v, "output", path, "the price of a million completion tokens");
  Price price;
  for (const auto& m : v.GetObject()) {
    std::string name = m.name.GetString();
    const double value = r.amount(m.value, path + "." + name);
    if (name == "input") price.input = value;
    if (name == "output") price.output = value;
    if (name == "cached_input") price.cached_input = value;
    if (name == "cache_write") price.cache_write = value;
    if (name == "reasoning") price.reasoning = value;
  }
  return price;
}

}  // namespace llmrt::core
