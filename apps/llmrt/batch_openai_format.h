#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>

#include "llmrt/core/batch.h"
#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/error.h"

namespace llmrt::cli {

// The line format of the OpenAI Batch API, so that files made for it run unchanged:
// {"custom_id","method":"POST","url":"/v1/chat/completions","body":{"model","messages",…}}.
// https://platform.openai.com/docs/guides/batch

// True when a parsed input line is in that format (it has a body, url or method).
bool is_openai_batch_line(const rapidjson::Value& line);

// The conversation and parameters of such a line: body.messages, and body's other members as
// parameters (max_tokens as max_new_tokens; stream false is dropped). `model` is set to
// body.model, which the batch does not use (the command names the model). Throws Error
// (bad_request) naming what is wrong: a method other than POST, a url other than
// /v1/chat/completions, stream true, a bad message or parameter.
core::BatchItem openai_batch_item(const rapidjson::Value& line, std::string& model);

// The output lines of that API: {"id","custom_id","response":{"status_code":200,"body":<a chat
// completion>,"model"?,"cost"?},"error":null} (model and cost are llmrt's, as in its own
// records; the body's model is `model`); a failed call with an HTTP status gets that status and
// {"error":{"message","type","code"}} as its body; one without (network, timeout, a bad line)
// gets "response":null and "error":{"code":<kind>,"message","line"?}.
std::string openai_response_record(const std::string& custom_id, const ChatResult& result,
                                   const std::string& model);
std::string openai_error_record(const std::string& custom_id, const Error& error,
                                std::optional<std::size_t> input_line = {});

}  // namespace llmrt::cli
