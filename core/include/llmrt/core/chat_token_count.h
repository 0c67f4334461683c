#pragma once

#include <string_view>
#include <vector>

#include "llmrt/core/tokenizer.h"
#include "llmrt/sdk/message.h"

namespace llmrt::core {

// What a chat prompt costs besides its text, as OpenAI counts it (the "How to count tokens with
// tiktoken" recipe): each message is framed by a few tokens (<|start|>role…<|message|>…<|end|>),
// a name adds or saves one, and the reply is primed with <|start|>assistant<|message|>.
struct ChatFraming {
  int per_message = 3;
  int per_name = 1;
  int reply_priming = 3;
};

// gpt-3.5-turbo-0301 framed messages with 4 tokens and dropped the role when a name was given;
// every later chat model uses the defaults.
ChatFraming chat_framing_for_model(std::string_view model);

// The prompt tokens of `api_messages` (roles already mapped to the API's): for each message the
// framing plus the tokens of its role, content, name, tool call id and tool calls (as their JSON
// text), then the reply priming. Text is counted as plain text: a special token's spelling in a
// message is not a special token to the API.
std::size_t count_chat_tokens(const Tokenizer& tokenizer, const std::vector<Message>& api_messages,
                              const ChatFraming& framing = {});

}  // namespace llmrt::core
