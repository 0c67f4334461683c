#pragma once

// Conversions between Python values and the core's: messages and parameters in, results,
// stream events and errors out. Every function here needs the GIL.

#include <pybind11/pybind11.h>

#include <cstdint>
#include <exception>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "llmrt/core/param_overrides.h"
#include "llmrt/sdk/chat_result.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/message.h"
#include "llmrt/sdk/stream_event.h"

namespace llmrt::python {

namespace py = pybind11;

// A conversation: a str (one user message) or a list of message dicts in OpenAI's form
// (core/messages_json.h). Raises TypeError or ValueError naming `argument` and the message.
std::vector<Message> messages_from_python(py::handle messages, std::string_view argument);

// Call parameters from a dict (or None): str, int, float, bool and lists of str are sent as
// the values they are; None, dicts and other lists as their JSON. Raises TypeError or
// ValueError naming the parameter.
core::ParamOverrides overrides_from_python(py::handle params);

// Text a provider sent, as str: ill-formed UTF-8 becomes U+FFFD (Python's "replace").
py::str text_to_python(std::string_view text);
// A str's UTF-8, or ValueError naming `argument` when it holds what UTF-8 cannot (a lone
// surrogate: pybind11's own cast would say only "Unable to cast"); TypeError when not a str.
std::string text_from_python(py::handle text, std::string_view argument);

// A stream's pieces of text arrive cut anywhere, mid-character too: each piece is decoded up to
// its last whole character and the rest waits for the next piece.
class Utf8Carry {
 public:
  py::str feed(std::string_view piece);
  // What is left at the end of the stream (an unfinished character becomes U+FFFD).
  py::str flush();
  bool empty() const noexcept { return pending_.empty(); }

 private:
  std::string pending_;
};

// The decoders of one stream's texts: the content, the reasoning, each tool call's arguments.
struct StreamTexts {
  Utf8Carry content;
  Utf8Carry reasoning;
  std::map<std::int64_t, Utf8Carry> arguments;
};

// The Python event for a core stream event (llmrt.Delta, Reasoning, ToolCall, Usage, Finish,
// StreamWarning); None for a piece of text that completed no character yet.
py::object event_to_python(const StreamEvent& event, StreamTexts& texts);

// llmrt.Delta(text): what is left of a stream's text when it ends mid-character.
py::object delta_event(py::str text);

// The llmrt.LlmrtError subclass instance for `error` (llmrt.errors builds it).
py::object error_to_python(const Error& error);

// The Python exception object for what a call ended with: an llmrt error, or RuntimeError for
// anything else.
py::object exception_to_python(const std::exception_ptr& failure);

// The Python exception `raised` carries, as one object with its traceback.
py::object exception_object(py::error_already_set& raised);

// The value classes (ChatResult, Usage, the stream events) and the translation of llmrt::Error
// into llmrt's exception classes.
void bind_values(py::module_& m);

}  // namespace llmrt::python
