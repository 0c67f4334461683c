#include "plugins/layout_check.h"

#include <cstdint>
#include <span>
#include <string_view>

namespace llmrt::core {
namespace {

// Far beyond any SDK (about 20 types of up to 15 fields): a larger count is a corrupt table,
// and reading that many entries would run off it.
constexpr std::uint64_t kMaxEntries = 4096;

std::string_view name_of(const char* name) { return name != nullptr ? name : ""; }

std::string vs(std::uint64_t plugin, std::uint64_t ours) {
  return std::to_string(plugin) + " vs " + std::to_string(ours);
}

std::optional<std::span<const llmrt_layout_field>> fields_of(const llmrt_layout_type& type) {
  if (type.field_count > kMaxEntries || (type.field_count > 0 && type.fields == nullptr)) {
    return std::nullopt;
  }
  return std::span(type.fields, static_cast<std::size_t>(type.field_count));
}

const llmrt_layout_field* find_field(std::span<const llmrt_layout_field> fields,
                                     std::string_view name) {
  for (const llmrt_layout_field& f : fields) {
    if (name_of(f.name) == name) return &f;
  }
  return nullptr;
}

// The first field that differs, or empty. Fields are matched by name, so a field added in the
// middle is reported as what it moved, not as a rename.
std::string field_difference(std::span<const llmrt_layout_field> plugin,
                             std::span<const llmrt_layout_field> ours) {
  for (const llmrt_layout_field& o : ours) {
    const llmrt_layout_field* p = find_field(plugin, name_of(o.name));
    if (p == nullptr) return "field " + std::string(name_of(o.name)) + " missing in the plugin";
    if (p->offset != o.offset) {
      return "field " + std::string(name_of(o.name)) + " at offset " + vs(p->offset, o.offset);
    }
    if (p->size != o.size) {
      return "field " + std::string(name_of(o.name)) + " of size " + vs(p->size, o.size);
    }
  }
  for (const llmrt_layout_field& p : plugin) {
    if (find_field(ours, name_of(p.name)) == nullptr) {
      return "field " + std::string(name_of(p.name)) + " only in the plugin";
    }
  }
  return {};
}

std::optional<std::string> type_difference(const llmrt_layout_type& plugin,
                                           const llmrt_layout_type& ours) {
  auto plugin_fields = fields_of(plugin);
  if (!plugin_fields) return std::string(name_of(ours.name)) + ": malformed field list";
  std::string parts;
  auto add = [&parts](const std::string& part) {
    if (!part.empty()) parts += (parts.empty() ? "" : ", ") + part;
  };
  if (plugin.size != ours.size) add("size " + vs(plugin.size, ours.size));
  if (plugin.align != ours.align) add("alignment " + vs(plugin.align, ours.align));
  add(field_difference(*plugin_fields, std::span(ours.fields, ours.field_count)));
  if (parts.empty()) return std::nullopt;
  return std::string(name_of(ours.name)) + " differs (plugin vs this llmrt: " + parts + ")";
}

}  // namespace

std::optional<std::string> layout_difference(const llmrt_layout_table* plugin,
                                             const llmrt_layout_table& ours) {
  if (plugin == nullptr) return "the plugin has no layout table";
  if (plugin->type_count > kMaxEntries || (plugin->type_count > 0 && plugin->types == nullptr)) {
    return "the plugin's layout table is malformed";
  }
  std::span<const llmrt_layout_type> theirs(plugin->types,
                                            static_cast<std::size_t>(plugin->type_count));
  auto find = [](std::span<const llmrt_layout_type> types,
                 std::string_view name) -> const llmrt_layout_type* {
    for (const llmrt_layout_type& t : types) {
      if (name_of(t.name) == name) return &t;
    }
    return nullptr;
  };
  std::span<const llmrt_layout_type> own(ours.types, static_cast<std::size_t>(ours.type_count));
  for (const llmrt_layout_type& o : own) {
    const llmrt_layout_type* p = find(theirs, name_of(o.name));
    if (p == nullptr) return std::string(name_of(o.name)) + " is missing from the plugin's SDK";
    if (auto difference = type_difference(*p, o)) return difference;
  }
  for (const llmrt_layout_type& p : theirs) {
    if (find(own, name_of(p.name)) == nullptr) {
      return std::string(name_of(p.name)) + " is in the plugin's SDK, not in this llmrt's";
    }
  }
  return std::nullopt;
}

}  // namespace llmrt::core
