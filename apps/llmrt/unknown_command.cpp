#include "unknown_command.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "terminal_text.h"

namespace llmrt::cli {
namespace {

// Global options that take a value (main.cpp): their value is not the command.
bool takes_value(std::string_view option) {
  return option == "--plugin" || option == "--log-level";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Close enough to be a typo (two edits, as git suggests), or the start of a command's name.
std::optional<std::string> nearest(std::string_view given, const std::vector<std::string>& names) {
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  for (const std::string& name : names) {
    std::size_t d = edit_distance(given, name);
    if (given.size() >= 2 && name.rfind(given, 0) == 0) d = std::min<std::size_t>(d, 1);
    if (d < best_distance) {
      best_distance = d;
      best = name;
    }
  }
  return best;
}

}  // namespace

std::optional<std::string> command_word(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") return i + 1 < argc ? std::optional<std::string>(argv[i + 1]) : std::nullopt;
    if (!arg.empty() && arg[0] == '-') {
      if (takes_value(arg)) ++i;
      continue;
    }
    return std::string(arg);
  }
  return std::nullopt;
}

std::optional<std::string> unknown_global_option(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.empty() || arg[0] != '-') return std::nullopt;  // the command: what follows is its
    if (takes_value(arg)) {
      ++i;
      continue;
    }
    const std::string_view name = arg.substr(0, arg.find('='));
    if (!takes_value(name) && arg != "--version" && arg != "--help" && arg != "-h") {
      return std::string(arg);
    }
  }
  return std::nullopt;
}

std::string command_error(const std::optional<std::string>& given, const CLI::App& app) {
  std::vector<std::string> names;
  std::size_t width = 0;
  for (const CLI::App* command : app.get_subcommands({})) {
    names.push_back(command->get_name());
    width = std::max(width, command->get_name().size());
  }
  std::string message;
  if (!given) {
    message = "llmrt: a command is required\n";
  } else {
    message = "llmrt: unknown command '" + printable(*given) + "'";
    if (auto suggestion = nearest(*given, names))
      message += "; did you mean '" + *suggestion + "'?";
    message += "\n";
  }
  message += "Commands:\n";
  for (const CLI::App* command : app.get_subcommands({})) {
    message += "  " + command->get_name() +
               std::string(width - command->get_name().size() + 2, ' ') +
               command->get_description() + "\n";
  }
  message += "Run 'llmrt --help' or 'llmrt COMMAND --help' for more.\n";
  return message;
}

}  // namespace llmrt::cli
