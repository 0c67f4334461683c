#include "values.h"

#include <pybind11/stl.h>

#include <cmath>
#include <optional>
#include <system_error>
#include <variant>

#include "llmrt/core/messages_json.h"
#include "llmrt/sdk/json_writer.h"
#include "llmrt/sdk/overloaded.h"

namespace llmrt::python {

namespace {

std::string type_name(py::handle value) { return py::str(py::type::of(value).attr("__name__")); }

py::str decode(const char* data, std::size_t size) {
  PyObject* text = PyUnicode_DecodeUTF8(data, static_cast<Py_ssize_t>(size), "replace");
  if (text == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(text);
}

// The bytes at the end of `text` that begin a character still missing its last bytes.
std::size_t unfinished_tail(std::string_view text) {
  const std::size_t look = std::min<std::size_t>(text.size(), 3);
  for (std::size_t back = 1; back <= look; ++back) {
    const auto byte = static_cast<unsigned char>(text[text.size() - back]);
    if ((byte & 0xC0) == 0x80) continue;  // a continuation byte: the lead is further back
    const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;  // three continuation bytes end a character or are ill-formed: decode them now
}

std::string json_dumps(py::handle value, std::string_view argument) {
  return text_from_python(py::module_::import("json").attr("dumps")(
                              value, py::arg("ensure_ascii") = false, py::arg("allow_nan") = false),
                          argument);
}

// A Python exception raised while converting an argument, said again naming the argument.
template <class Exception>
[[noreturn]] void raise_about(std::string_view argument, py::error_already_set& e) {
  throw Exception(std::string(argument) + ": " + py::str(e.value()).cast<std::string>());
}

void set_param(core::ParamOverrides& overrides, const std::string& key, py::handle value) {
  if (PyBool_Check(value.ptr())) {
    overrides.set(key, value.ptr() == Py_True);
  } else if (PyLong_Check(value.ptr())) {
    int overflow = 0;
    const long long number = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (overflow != 0) {
      overrides.set_json(key, py::str(value).cast<std::string>());  // JSON takes any integer
    } else {
      overrides.set(key, number);
    }
  } else if (PyFloat_Check(value.ptr())) {
    const double number = PyFloat_AsDouble(value.ptr());
    if (!std::isfinite(number)) {
      throw py::value_error("params: " + key + ": " + py::repr(value).cast<std::string>() +
                            " is no JSON number");
    }
    overrides.set(key, number);
  } else if (py::isinstance<py::str>(value)) {
    overrides.set(key, text_from_python(value, "params: " + key));
  } else {
    bool all_text = py::isinstance<py::list>(value);
    if (all_text) {
      for (py::handle item : value) all_text = all_text && py::isinstance<py::str>(item);
    }
    if (all_text) {
      std::vector<std::string> texts;
      for (py::handle item : value) texts.push_back(text_from_python(item, "params: " + key));
      overrides.set(key, texts);
      return;
    }
    std::string json;
    try {
      json = json_dumps(value, "params: " + key);
    } catch (py::error_already_set& e) {
      raise_about<py::type_error>("params: " + key, e);
    }
    overrides.set_json(key, std::move(json));
  }
}

}  // namespace

std::string text_from_python(py::handle text, std::string_view argument) {
  if (!py::isinstance<py::str>(text)) {
    throw py::type_error(std::string(argument) + ": expected a str, got " + type_name(text));
  }
  Py_ssize_t size = 0;
  const char* utf8 = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
  if (utf8 == nullptr) {
    PyErr_Clear();
    throw py::value_error(std::string(argument) +
                          ": the text holds a lone surrogate, which UTF-8 cannot carry");
  }
  return {utf8, static_cast<std::size_t>(size)};
}

std::vector<Message> messages_from_python(py::handle messages, std::string_view argument) {
  if (py::isinstance<py::str>(messages)) {
    Message message;
    message.role = "user";
    message.content = text_from_python(messages, argument);
    return {std::move(message)};
  }
  if (!py::isinstance<py::list>(messages) && !py::isinstance<py::tuple>(messages)) {
    throw py::type_error(std::string(argument) +
                         ": expected a list of message dicts or a str, got " + type_name(messages));
  }
  std::string json;
  try {
    json = json_dumps(messages, argument);
  } catch (py::error_already_set& e) {
    if (e.matches(PyExc_UnicodeError)) raise_about<py::value_error>(argument, e);
    raise_about<py::type_error>(argument, e);
  }
  try {
    return core::parse_messages_json(json, argument);
  } catch (const Error& e) {
    throw py::value_error(e.info().message);
  }
}

core::ParamOverrides overrides_from_python(py::handle params) {
  core::ParamOverrides overrides;
  if (params.is_none()) return overrides;
  if (!py::isinstance<py::dict>(params)) {
    throw py::type_error("params: expected a dict, got " + type_name(params));
  }
  for (auto [name, value] : py::reinterpret_borrow<py::dict>(params)) {
    if (!py::isinstance<py::str>(name)) {
      throw py::type_error("params: a parameter name must be a str, got " + type_name(name));
    }
    const std::string key = name.cast<std::string>();
    try {
      set_param(overrides, key, value);
    } catch (const Error& e) {
      throw py::value_error("params: " + e.info().message);
    }
  }
  return overrides;
}

py::str text_to_python(std::string_view text) { return decode(text.data(), text.size()); }

py::str Utf8Carry::feed(std::string_view piece) {
  if (pending_.empty()) {
    const std::size_t tail = unfinished_tail(piece);
    pending_.assign(piece.substr(piece.size() - tail));
    return decode(piece.data(), piece.size() - tail);
  }
  pending_.append(piece);
  const std::size_t whole = pending_.size() - unfinished_tail(pending_);
  py::str out = decode(pending_.data(), whole);
  pending_.erase(0, whole);
  return out;
}

py::str Utf8Carry::flush() {
  py::str out = decode(pending_.data(), pending_.size());
  pending_.clear();
  return out;
}

namespace {

// The stream events as Python sees them: decoded text, the core's fields.
struct Delta {
  py::str text;
};
struct Reasoning {
  py::str text;
  py::str signature;
  py::str redacted;
  std::int64_t block = 0;
};
struct ToolCallPart {
  std::int64_t index = 0;
  py::str id;
  py::str name;
  py::str arguments;
};
struct Finish {
  std::string reason;
  std::string raw;
};
struct StreamWarning {
  std::string message;
};

py::dict tool_call_dict(const ToolCall& call) {
  py::dict d;
  d["id"] = text_to_python(call.id);
  d["type"] = text_to_python(call.type);
  d["name"] = text_to_python(call.name);
  d["arguments"] = text_to_python(call.arguments);
  return d;
}

std::string usage_repr(const Usage& u) {
  std::string text = "Usage(prompt_tokens=" + std::to_string(u.prompt_tokens) +
                     ", completion_tokens=" + std::to_string(u.completion_tokens) +
                     ", total_tokens=" + std::to_string(u.total_tokens);
  // The detail counts only when the provider reported them: most replies have none.
  if (u.cache_read_tokens != 0)
    text += ", cache_read_tokens=" + std::to_string(u.cache_read_tokens);
  if (u.cache_write_tokens != 0) {
    text += ", cache_write_tokens=" + std::to_string(u.cache_write_tokens);
  }
  if (u.reasoning_tokens != 0) text += ", reasoning_tokens=" + std::to_string(u.reasoning_tokens);
  return text + ")";
}

bool same_usage(const Usage& a, const Usage& b) {
  return a.prompt_tokens == b.prompt_tokens && a.completion_tokens == b.completion_tokens &&
         a.total_tokens == b.total_tokens && a.cache_read_tokens == b.cache_read_tokens &&
         a.cache_write_tokens == b.cache_write_tokens && a.reasoning_tokens == b.reasoning_tokens;
}

std::string repr_of(py::handle value) { return py::repr(value).cast<std::string>(); }

py::object finish_reason_of(const ChatResult& r) {
  if (!r.finish_reason) return py::none();
  return py::str(std::string(to_string(*r.finish_reason)));
}

py::dict message_dict(const ChatResult& r) {
  json::JsonWriter w;
  core::write_message_json(w, assistant_message(r));
  return py::module_::import("json").attr("loads")(text_to_python(w.str()));
}

std::string result_repr(const ChatResult& r) {
  std::string text = "ChatResult(content=" + repr_of(text_to_python(r.content));
  if (!r.reasoning.empty()) text += ", reasoning=" + repr_of(text_to_python(r.reasoning));
  if (!r.tool_calls.empty()) {
    py::list calls;
    for (const ToolCall& call : r.tool_calls) calls.append(tool_call_dict(call));
    text += ", tool_calls=" + repr_of(calls);
  }
  text += ", finish_reason=" + repr_of(finish_reason_of(r));
  if (r.usage) text += ", usage=" + usage_repr(*r.usage);
  if (!r.served_by.empty()) text += ", served_by=" + repr_of(text_to_python(r.served_by));
  if (r.cost) text += ", cost=" + repr_of(py::float_(*r.cost));
  return text + ")";
}

void bind_events(py::module_& m) {
  py::class_<Delta>(m, "Delta", "A piece of the reply's text.")
      .def(py::init<py::str>(), py::arg("text"))
      .def_readonly("text", &Delta::text)
      .def("__repr__", [](const Delta& e) { return "Delta(" + repr_of(e.text) + ")"; })
      .def("__eq__", [](const Delta& a, const Delta& b) { return a.text.equal(b.text); })
      .attr("__match_args__") = py::make_tuple("text");
  py::class_<Reasoning>(m, "Reasoning", "A piece of the model's reasoning.")
      .def(py::init([](py::str text, py::str signature, py::str redacted, std::int64_t block) {
             return Reasoning{std::move(text), std::move(signature), std::move(redacted), block};
           }),
           py::arg("text"), py::arg("signature") = "", py::arg("redacted") = "",
           py::arg("block") = 0)
      .def_readonly("text", &Reasoning::text)
      .def_readonly("signature", &Reasoning::signature)
      .def_readonly("redacted", &Reasoning::redacted)
      .def_readonly("block", &Reasoning::block)
      .def("__repr__", [](const Reasoning& e) { return "Reasoning(" + repr_of(e.text) + ")"; })
      .def("__eq__",
           [](const Reasoning& a, const Reasoning& b) {
             return a.text.equal(b.text) && a.signature.equal(b.signature) &&
                    a.redacted.equal(b.redacted) && a.block == b.block;
           })
      .attr("__match_args__") = py::make_tuple("text");
  py::class_<ToolCallPart>(m, "ToolCall",
                           "A fragment of a tool call: the first of a call carries its id and "
                           "name, the next ones pieces of its arguments (matched by index).")
      .def(py::init([](std::int64_t index, py::str id, py::str name, py::str arguments) {
             return ToolCallPart{index, std::move(id), std::move(name), std::move(arguments)};
           }),
           py::arg("index"), py::arg("id") = "", py::arg("name") = "", py::arg("arguments") = "")
      .def_readonly("index", &ToolCallPart::index)
      .def_readonly("id", &ToolCallPart::id)
      .def_readonly("name", &ToolCallPart::name)
      .def_readonly("arguments", &ToolCallPart::arguments)
      .def("__repr__",
           [](const ToolCallPart& e) {
             return "ToolCall(index=" + std::to_string(e.index) + ", id=" + repr_of(e.id) +
                    ", name=" + repr_of(e.name) + ", arguments=" + repr_of(e.arguments) + ")";
           })
      .def("__eq__",
           [](const ToolCallPart& a, const ToolCallPart& b) {
             return a.index == b.index && a.id.equal(b.id) && a.name.equal(b.name) &&
                    a.arguments.equal(b.arguments);
           })
      .attr("__match_args__") = py::make_tuple("index", "id", "name", "arguments");
  py::class_<Finish>(m, "Finish", "Why the model stopped: reason in llmrt's words, raw as sent.")
      .def(py::init([](std::string reason, std::string raw) {
             return Finish{std::move(reason), std::move(raw)};
           }),
           py::arg("reason"), py::arg("raw") = "")
      .def_readonly("reason", &Finish::reason)
      .def_readonly("raw", &Finish::raw)
      .def("__repr__", [](const Finish& e) { return "Finish(" + repr_of(py::str(e.reason)) + ")"; })
      .def("__eq__",
           [](const Finish& a, const Finish& b) { return a.reason == b.reason && a.raw == b.raw; })
      .attr("__match_args__") = py::make_tuple("reason");
  py::class_<StreamWarning>(m, "StreamWarning",
                            "A parameter the plugin dropped or changed, before the reply.")
      .def(py::init([](std::string message) { return StreamWarning{std::move(message)}; }),
           py::arg("message"))
      .def_readonly("message", &StreamWarning::message)
      .def("__repr__",
           [](const StreamWarning& e) {
             return "StreamWarning(" + repr_of(py::str(e.message)) + ")";
           })
      .def("__eq__",
           [](const StreamWarning& a, const StreamWarning& b) { return a.message == b.message; })
      .attr("__match_args__") = py::make_tuple("message");
}

void bind_results(py::module_& m) {
  py::class_<Usage>(m, "Usage", "Token counts (also a stream event).")
      .def(py::init([](long long prompt, long long completion, long long total, long long read,
                       long long write, long long reasoning) {
             return Usage{prompt, completion, total, read, write, reasoning};
           }),
           py::kw_only(), py::arg("prompt_tokens") = 0, py::arg("completion_tokens") = 0,
           py::arg("total_tokens") = 0, py::arg("cache_read_tokens") = 0,
           py::arg("cache_write_tokens") = 0, py::arg("reasoning_tokens") = 0)
      .def_readonly("prompt_tokens", &Usage::prompt_tokens)
      .def_readonly("completion_tokens", &Usage::completion_tokens)
      .def_readonly("total_tokens", &Usage::total_tokens)
      .def_readonly("cache_read_tokens", &Usage::cache_read_tokens)
      .def_readonly("cache_write_tokens", &Usage::cache_write_tokens)
      .def_readonly("reasoning_tokens", &Usage::reasoning_tokens)
      .def("__repr__", &usage_repr)
      .def("__eq__", &same_usage);

  py::class_<ChatResult>(m, "ChatResult", "A whole reply.")
      .def_property_readonly("content",
                             [](const ChatResult& r) { return text_to_python(r.content); })
      .def_property_readonly("reasoning",
                             [](const ChatResult& r) { return text_to_python(r.reasoning); })
      .def_property_readonly("tool_calls",
                             [](const ChatResult& r) {
                               py::list calls;
                               for (const ToolCall& c : r.tool_calls) {
                                 calls.append(tool_call_dict(c));
                               }
                               return calls;
                             })
      .def_property_readonly("finish_reason", &finish_reason_of)
      .def_property_readonly(
          "finish_reason_raw",
          [](const ChatResult& r) { return text_to_python(r.finish_reason_raw); })
      .def_readonly("usage", &ChatResult::usage)
      .def_property_readonly("served_by",
                             [](const ChatResult& r) { return text_to_python(r.served_by); })
      .def_readonly("cost", &ChatResult::cost)
      .def_property_readonly("warnings",
                             [](const ChatResult& r) {
                               py::list out;
                               for (const std::string& w : r.warnings) {
                                 out.append(text_to_python(w));
                               }
                               return out;
                             })
      .def("to_message", &message_dict,
           "The reply as the assistant message of the next turn (OpenAI's form).")
      .def("__repr__", &result_repr);
}

}  // namespace

py::object event_to_python(const StreamEvent& event, StreamTexts& texts) {
  return std::visit(
      Overloaded{
          [&](const ContentDelta& e) -> py::object {
            py::str text = texts.content.feed(e.text);
            if (py::len(text) == 0) return py::none();
            return py::cast(Delta{std::move(text)});
          },
          [&](const ReasoningDelta& e) -> py::object {
            py::str text = texts.reasoning.feed(e.text);
            if (py::len(text) == 0 && e.signature.empty() && e.redacted.empty()) {
              return py::none();
            }
            return py::cast(Reasoning{std::move(text), text_to_python(e.signature),
                                      text_to_python(e.redacted), e.block});
          },
          [&](const ToolCallDelta& e) -> py::object {
            return py::cast(ToolCallPart{e.index, text_to_python(e.id), text_to_python(e.name),
                                         texts.arguments[e.index].feed(e.arguments)});
          },
          [&](const FinishEvent& e) -> py::object {
            return py::cast(Finish{std::string(to_string(e.reason)), e.raw});
          },
          [&](const UsageEvent& e) -> py::object { return py::cast(e.usage); },
          [&](const WarningEvent& e) -> py::object { return py::cast(StreamWarning{e.message}); },
          // The core ends the stream on these instead of passing them on.
          [&](const ErrorEvent&) -> py::object { return py::none(); },
          [&](const DoneEvent&) -> py::object { return py::none(); },
      },
      event);
}

py::object delta_event(py::str text) { return py::cast(Delta{std::move(text)}); }

py::object error_to_python(const Error& error) {
  const ErrorInfo& info = error.info();
  py::object retry_after = py::none();
  if (info.retry_after)
    retry_after = py::float_(static_cast<double>(info.retry_after->count()) / 1000);
  return py::module_::import("llmrt.errors")
      .attr("_from_native")(
          std::string(to_string(info.kind)), info.http_status, text_to_python(info.code),
          text_to_python(info.message), text_to_python(info.request_id),
          text_to_python(error.partial_content()), retry_after, text_to_python(info.provider),
          text_to_python(info.url), text_to_python(error.what()));
}

py::object exception_to_python(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const Error& e) {
    return error_to_python(e);
  } catch (const std::exception& e) {
    return py::reinterpret_borrow<py::object>(PyExc_RuntimeError)(text_to_python(e.what()));
  } catch (...) {
    return py::reinterpret_borrow<py::object>(PyExc_RuntimeError)("unknown C++ exception");
  }
}

py::object exception_object(py::error_already_set& raised) {
  raised.restore();
  PyObject* type = nullptr;
  PyObject* value = nullptr;
  PyObject* traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  if (traceback != nullptr) PyException_SetTraceback(value, traceback);
  Py_XDECREF(type);
  Py_XDECREF(traceback);
  return py::reinterpret_steal<py::object>(value);
}

void bind_values(py::module_& m) {
  bind_results(m);
  bind_events(m);
  // pybind11 takes a translator as a function pointer of exactly this type.
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  py::register_exception_translator([](std::exception_ptr failure) {
    try {
      if (failure) std::rethrow_exception(failure);
    } catch (const Error& e) {
      py::object exception = error_to_python(e);
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception.ptr())), exception.ptr());
    } catch (const std::system_error& e) {
      // A system call's failure (a bad wake-up fd, no thread to start) is Python's OSError,
      // with its errno, as os.* functions raise it.
      const py::tuple arguments = py::make_tuple(e.code().value(), text_to_python(e.what()));
      PyErr_SetObject(PyExc_OSError, arguments.ptr());
    }
  });
}

}  // namespace llmrt::python
