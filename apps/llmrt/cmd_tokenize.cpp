#include <unistd.h>

#include <iostream>
#include <memory>
#include <sstream>

#include "commands.h"
#include "llmrt/core/chat_token_count.h"
#include "llmrt/core/meta_template.h"
#include "llmrt/core/tokenizer.h"
#include "llmrt/sdk/error.h"
#include "messages_input.h"
#include "model_options.h"

namespace llmrt::cli {
namespace {

struct TokenizeOptions {
  std::string config_file;
  std::string config_name;
  std::string model;
  std::string encoding;
  bool count = false;
  bool decode = false;
  // Text to count is text: "<|endoftext|>" in a file or a prompt is what a user wrote, and the
  // API reads it as plain text too.
  std::string special = "text";
  std::string messages_source;
  std::string text;
  bool text_given = false;
};

core::SpecialTokens special_mode(const std::string& name) {
  if (name == "allow") return core::SpecialTokens::allow;
  if (name == "text") return core::SpecialTokens::as_text;
  return core::SpecialTokens::reject;
}

std::vector<core::TokenId> parse_ids(const std::string& text) {
  std::vector<core::TokenId> ids;
  std::string field;
  std::istringstream in(text);
  // Ids separated by spaces, commas or new lines, or a JSON array of them.
  for (std::size_t n = 1; in >> field; ++n) {
    for (char& c : field) {
      if (c == ',' || c == '[' || c == ']') c = ' ';
    }
    std::istringstream parts(field);
    for (std::string part; parts >> part;) {
      std::size_t used = 0;
      unsigned long id = 0;
      try {
        id = std::stoul(part, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != part.size() || id > 0xFFFFFFFFUL) {
        throw Error(ErrorKind::bad_request, "tokenize --decode: \"" + part + "\" (field " +
                                                std::to_string(n) + ") is not a token id");
      }
      ids.push_back(static_cast<core::TokenId>(id));
    }
  }
  return ids;
}

int run_tokenize(TokenizeOptions o) {
  // The roles of --messages as chat maps them: the configuration's template, else the default.
  core::MetaTemplate meta_template = core::MetaTemplate::default_template();
  if (!o.config_file.empty()) {
    // The model of a configuration, as chat would call it; --model and --encoding still win.
    const core::ModelConfig config = model_from_config(o.config_file, o.config_name);
    if (o.model.empty()) o.model = config.model;
    if (o.encoding.empty()) o.encoding = config.encoding;
    meta_template = config.meta_template;
  }
  if (o.model.empty() && o.encoding.empty()) {
    std::cerr << "llmrt tokenize: give --model M, --encoding E or --config FILE [--name NAME]\n";
    return kExitUsage;
  }
  const std::string encoding = o.encoding.empty() ? core::encoding_for_model(o.model) : o.encoding;
  const auto tokenizer = core::Tokenizer::get(encoding);
  if (!o.messages_source.empty()) {
    const auto messages =
        check_roles(read_messages(o.messages_source), meta_template, o.messages_source);
    std::cout << core::count_chat_tokens(*tokenizer, messages,
                                         core::chat_framing_for_model(o.model))
              << "\n";
    return kExitOk;
  }
  const std::string input = o.text_given && o.text != "-" ? o.text : read_input("-");
  if (o.decode) {
    std::cout << tokenizer->decode(parse_ids(input));
    // The exact bytes for a pipe; a terminal also gets the line ended, or the prompt would be
    // glued to the text.
    if (isatty(STDOUT_FILENO) != 0) std::cout << "\n";
    std::cout << std::flush;
    return kExitOk;
  }
  const auto special = special_mode(o.special);
  if (o.count) {
    std::cout << tokenizer->count(input, special) << "\n";
    return kExitOk;
  }
  const auto ids = tokenizer->encode(input, special);
  std::string line;
  line.reserve(ids.size() * 6);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) line += ' ';
    line += std::to_string(ids[i]);
  }
  std::cout << line << "\n";
  return kExitOk;
}

}  // namespace

Command add_tokenize_command(CLI::App& app) {
  auto o = std::make_shared<TokenizeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "tokenize", "Token ids of a text (or their count) as tiktoken gives them, offline");
  cmd->add_option("--config", o->config_file, "Use the model of this configuration file")
      ->check(CLI::ExistingFile);
  cmd->add_option("--name", o->config_name,
                  "The model's name in the configuration file (not needed when it has one)");
  cmd->add_option("--model", o->model,
                  "Use the encoding tiktoken uses for this model (gpt-4o → o200k_base, gpt-4 → "
                  "cl100k_base, …)");
  cmd->add_option("--encoding", o->encoding, "Use this encoding")
      ->check(CLI::IsMember({"cl100k_base", "o200k_base"}));
  auto* count = cmd->add_flag("--count", o->count, "Print the number of tokens only");
  auto* decode = cmd->add_flag("--decode", o->decode,
                               "Turn token ids (spaces, commas or a JSON array) back into text");
  cmd->add_option("--special", o->special,
                  "A special token's text in the input (<|endoftext|>): text (default: plain "
                  "text, as the API reads a prompt), reject (an error) or allow (the special "
                  "token)")
      ->check(CLI::IsMember({"reject", "text", "allow"}));
  auto* messages = cmd->add_option(
      "--messages", o->messages_source,
      "Count the prompt tokens of a chat: a JSON array of messages (file, or - for stdin), "
      "framing included as OpenAI counts it");
  messages->excludes(count)->excludes(decode);
  count->excludes(decode);
  auto* text = cmd->add_option("TEXT", o->text, "The text (default, or -: stdin, read as bytes)");
  text->excludes(messages);
  return {cmd, [o, text] {
            o->text_given = text->count() > 0;
            return run_tokenize(*o);
          }};
}

}  // namespace llmrt::cli
