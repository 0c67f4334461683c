#include "protocol.h"

namespace llmrt::mock {

long long count_prompt_words(const rapidjson::Value* messages) {
  if (messages == nullptr || !messages->IsArray()) return 0;
  long long words = 0;
  for (const auto& m : messages->GetArray()) {
    if (!m.IsObject()) continue;
    auto c = m.FindMember("content");
    if (c == m.MemberEnd() || !c->value.IsString()) continue;
    ++words;
    for (const char* p = c->value.GetString(); *p != '\0'; ++p) words += (*p == ' ');
  }
  return words;
}

}  // namespace llmrt::mock
