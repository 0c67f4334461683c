#include "llmrt/core/meta_template.h"

#include <algorithm>

#include "llmrt/sdk/error.h"

namespace llmrt::core {
namespace {

[[noreturn]] void bad_template(const std::string& message) {
  throw Error(ErrorKind::bad_request, "meta template: " + message);
}

const RoleSpec* find_role(const std::vector<RoleSpec>& roles, std::string_view name) {
  auto it = std::find_if(roles.begin(), roles.end(),
                         [name](const RoleSpec& r) { return r.role == name; });
  return it == roles.end() ? nullptr : &*it;
}

std::string role_names(const std::vector<RoleSpec>& roles) {
  std::string names;
  for (const RoleSpec& r : roles) names += (names.empty() ? "" : ", ") + r.role;
  return names;
}

bool mergeable(const Message& m) {
  return !m.name && !m.tool_call_id && m.tool_calls.empty() && m.parts.empty() &&
         m.reasoning.empty();
}

}  // namespace

MetaTemplate MetaTemplate::default_template() {
  return MetaTemplate({{.role = "system", .api_role = "system"},
                       {.role = "user", .api_role = "user"},
                       {.role = "assistant", .api_role = "assistant"},
                       {.role = "environment", .api_role = "system"},
                       // OpenAI's roles for instructions and tool results; a plugin whose API
                       // has no developer role renders it as its system role.
                       {.role = "developer", .api_role = "developer"},
                       {.role = "tool", .api_role = "tool"}});
}

MetaTemplate::MetaTemplate(std::vector<RoleSpec> roles) {
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (roles[i].role.empty()) bad_template("role #" + std::to_string(i) + " has no name");
    for (std::size_t j = 0; j < i; ++j) {
      if (roles[j].role == roles[i].role)
        bad_template("role '" + roles[i].role + "' is defined twice");
    }
  }
  for (const RoleSpec& spec : roles) {
    RoleSpec resolved = spec;
    const RoleSpec* current = &spec;
    std::size_t hops = 0;
    while (resolved.api_role.empty()) {
      if (current->fallback_role.empty()) {
        bad_template("role '" + spec.role + "' has neither api_role nor fallback_role");
      }
      const RoleSpec* next = find_role(roles, current->fallback_role);
      if (next == nullptr) {
        bad_template("role '" + current->role + "' falls back to unknown role '" +
                     current->fallback_role + "' (roles: " + role_names(roles) + ")");
      }
      if (++hops > roles.size()) bad_template("fallback_role cycle at role '" + spec.role + "'");
      current = next;
      resolved.api_role = current->api_role;
      if (resolved.begin.empty()) resolved.begin = current->begin;
      if (resolved.end.empty()) resolved.end = current->end;
    }
    resolved_.push_back(std::move(resolved));
  }
}

std::vector<Message> MetaTemplate::apply(const std::vector<Message>& messages) const {
  std::vector<Message> out;
  out.reserve(messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const Message& m = messages[i];
    const RoleSpec* spec = find_role(resolved_, m.role);
    if (spec == nullptr) {
      throw Error(ErrorKind::bad_request, "message " + std::to_string(i) + " has unknown role '" +
                                              m.role + "' (known roles: " + role_names(resolved_) +
                                              ")");
    }
    const bool wrapped = !spec->begin.empty() || !spec->end.empty();
    // Consecutive plain messages on one API role become one (lagent joins them with "\n");
    // messages carrying tool data keep their identity. (The template changes only the role and
    // the content, so mergeable(m) is what the mapped message's would be.)
    if (!out.empty() && out.back().role == spec->api_role && mergeable(out.back()) &&
        mergeable(m)) {
      std::string& content = out.back().content;
      content += '\n';
      if (wrapped) content += spec->begin;
      content += m.content;
      if (wrapped) content += spec->end;
    } else {
      Message& mapped = out.emplace_back(m);  // copied once, in place
      mapped.role = spec->api_role;
      if (wrapped) mapped.content = spec->begin + m.content + spec->end;
    }
  }
  return out;
}

}  // namespace llmrt::core
