#pragma once

#include <string>
#include <vector>

#include "llmrt/sdk/message.h"

namespace llmrt::core {

// One role of a meta template, with lagent's fields. A role without api_role takes it (and any
// begin/end it does not set) from its fallback_role.
struct RoleSpec {
  std::string role{};
  std::string api_role{};
  std::string begin{};
  std::string end{};
  std::string fallback_role{};
};

// Maps a conversation in internal roles onto the roles an API knows (lagent's
// APITemplateParser): role → api_role, content wrapped in begin/end, consecutive messages that
// land on the same API role merged with "\n".
class MetaTemplate {
 public:
  // system→system, user→user, assistant→assistant, environment→system, developer→developer,
  // tool→tool.
  static MetaTemplate default_template();

  // Throws Error (bad_request) on a duplicate role, an unknown or cyclic fallback_role, or a
  // role with neither api_role nor fallback_role.
  explicit MetaTemplate(std::vector<RoleSpec> roles);

  // Throws Error (bad_request) naming an unknown role, its position and the roles it knows.
  std::vector<Message> apply(const std::vector<Message>& messages) const;

  const std::vector<RoleSpec>& roles() const noexcept { return resolved_; }

 private:
  std::vector<RoleSpec> resolved_;  // fallbacks followed: every entry has its api_role
};

}  // namespace llmrt::core
