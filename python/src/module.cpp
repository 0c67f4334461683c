// The _llmrt extension: llmrt's C++ runtime for Python (the llmrt package wraps it).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "batch.h"
#include "call_threads.h"
#include "calls.h"
#include "llmrt/core/config.h"
#include "llmrt/core/runtime.h"
#include "llmrt/sdk/version.h"
#include "values.h"

namespace llmrt::python {

namespace {

using Paths = std::vector<std::filesystem::path>;

// A batch's concurrency: a positive int (not a bool).
std::size_t concurrency_from_python(py::handle concurrency) {
  if (!PyLong_Check(concurrency.ptr()) || PyBool_Check(concurrency.ptr())) {
    throw py::type_error("concurrency: expected an int");
  }
  int overflow = 0;
  const long long n = PyLong_AsLongLongAndOverflow(concurrency.ptr(), &overflow);
  if (overflow < 0 || (overflow == 0 && n < 1)) {
    throw py::value_error("concurrency: must be at least 1");
  }
  if (overflow > 0) throw py::value_error("concurrency: too large a number");
  return static_cast<std::size_t>(n);
}

std::shared_ptr<core::Runtime> make_runtime(const std::optional<Paths>& plugins) {
  py::gil_scoped_release release;
  return std::make_shared<core::Runtime>(plugins.value_or(Paths{}));
}

ModelRef model_named(const std::shared_ptr<core::Runtime>& runtime, const std::string& name) {
  return ModelRef{runtime, runtime->model(name)};
}

// A model from one configuration entry (the keys of a configuration file's model), checked as
// a file's would be; `where` names the caller in errors.
ModelRef model_from_json(const std::shared_ptr<core::Runtime>& runtime, const std::string& json,
                         const std::string& where) {
  core::RuntimeConfig config;
  try {
    config = core::parse_config(json, where);
  } catch (const Error& e) {
    throw py::value_error(e.info().message);
  }
  if (config.models.size() != 1 || !config.routes.empty()) {
    throw py::value_error(where + ": expected exactly one model");
  }
  core::ModelConfig model = config.models.begin()->second;
  model.name.clear();  // not from a file: results name the model as the API knows it
  return ModelRef{runtime, runtime->model(std::move(model))};
}

py::list plugin_list(const core::Runtime& runtime) {
  py::list out;
  for (const core::PluginInfo& info : runtime.plugins().plugins()) {
    py::dict d;
    d["name"] = info.name;
    d["version"] = info.version;
    d["path"] = info.path.string();
    out.append(d);
  }
  return out;
}

py::list load_error_list(const core::Runtime& runtime) {
  py::list out;
  for (const core::LoadError& error : runtime.load_errors()) out.append(error.message);
  return out;
}

py::list configured_names(const core::Runtime& runtime) {
  py::list out;
  for (const auto& [name, model] : runtime.config().models) out.append(name);
  for (const auto& [name, route] : runtime.config().routes) out.append(name);
  return out;
}

py::list tokenize(const ModelRef& model, py::handle text) {
  const std::string utf8 = text_from_python(text, "text");
  std::vector<core::TokenId> ids;
  {
    py::gil_scoped_release release;
    ids = model.model.tokenize(utf8);
  }
  py::list out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) out[i] = py::int_(ids[i]);
  return out;
}

std::size_t count_tokens(const ModelRef& model, py::handle messages) {
  const std::vector<Message> parsed = messages_from_python(messages, "messages");
  py::gil_scoped_release release;
  return model.model.count_tokens(parsed);
}

void bind_runtime(py::module_& m) {
  py::class_<core::Runtime, std::shared_ptr<core::Runtime>>(
      m, "Runtime", "The provider plugins and the configured models (llmrt.Runtime wraps it).")
      .def(py::init(&make_runtime), py::arg("plugins") = py::none())
      .def_static(
          "from_config",
          [](const std::filesystem::path& file) {
            py::gil_scoped_release release;
            return std::make_shared<core::Runtime>(core::Runtime::from_config(file));
          },
          py::arg("path"))
      .def("model_named", &model_named, py::arg("name"))
      .def("model_from_json", &model_from_json, py::arg("json"), py::arg("where"))
      .def_property_readonly("plugins", &plugin_list)
      .def_property_readonly("load_errors", &load_error_list)
      .def_property_readonly("names", &configured_names);

  py::class_<ModelRef>(m, "Model", "A model or route, made by llmrt.Runtime.model().")
      .def_property_readonly("name", [](const ModelRef& model) { return model.model.name(); })
      .def_property_readonly("provider",
                             [](const ModelRef& model) { return model.model.config().provider; })
      .def(
          "chat",
          [](const ModelRef& model, py::handle messages, py::handle cancel,
             const py::kwargs& params) { return chat(model, messages, params, cancel); },
          py::arg("messages"), py::kw_only(), py::arg("cancel") = py::none(),
          "The whole reply. messages: a str or OpenAI chat messages; keyword arguments are the "
          "call's parameters (temperature=0.2, stop_words=[...], any provider parameter).")
      .def(
          "stream",
          [](const ModelRef& model, py::handle messages, py::handle cancel,
             const py::kwargs& params) {
            return std::make_unique<EventStream>(model, messages_from_python(messages, "messages"),
                                                 overrides_from_python(params), cancel);
          },
          py::arg("messages"), py::kw_only(), py::arg("cancel") = py::none(),
          "The reply's events as they arrive (Delta, Reasoning, ToolCall, Usage, Finish, "
          "StreamWarning); .result once it has ended.")
      .def(
          "stream_chunks",
          [](const ModelRef& model, py::handle messages, py::handle cancel,
             const py::kwargs& params) {
            return std::make_unique<ChunkStream>(model, messages_from_python(messages, "messages"),
                                                 overrides_from_python(params), cancel);
          },
          py::arg("messages"), py::kw_only(), py::arg("cancel") = py::none(),
          "lagent's (status, text so far, delta) chunks: status 1 while text arrives, 0 once "
          "with the whole reply.")
      .def(
          "chat_batch",
          [](const ModelRef& model, py::handle conversations, py::handle concurrency,
             py::handle cancel, const py::kwargs& params) {
            const std::size_t n = concurrency_from_python(concurrency);
            return chat_batch(model, batch_items_from_python(conversations, params), n, cancel);
          },
          py::arg("conversations"), py::kw_only(), py::arg("concurrency") = 20,
          py::arg("cancel") = py::none(),
          "Each conversation's ChatResult or LlmrtError, in order. A conversation is messages, "
          "or {\"messages\": ..., \"params\": {...}} with parameters of its own.")
      .def(
          "chat_batch_as_completed",
          [](const ModelRef& model, py::handle conversations, py::handle concurrency,
             py::handle cancel, const py::kwargs& params) {
            const std::size_t n = concurrency_from_python(concurrency);
            return std::make_unique<BatchResults>(
                model, batch_items_from_python(conversations, params), n, cancel);
          },
          py::arg("conversations"), py::kw_only(), py::arg("concurrency") = 20,
          py::arg("cancel") = py::none(),
          "(index, ChatResult or LlmrtError) pairs as the conversations finish; only the calls "
          "in flight and the outcomes not yet taken are held (no new conversation starts while "
          "a reader falls behind). close() cancels the rest.")
      .def("count_tokens", &count_tokens, py::arg("messages"),
           "The prompt tokens a chat with these messages costs, as OpenAI counts them.")
      .def("tokenize", &tokenize, py::arg("text"), "The text's token ids (lagent's tokenize).")
      .def("start_chat", &start_chat, py::arg("messages"), py::arg("params"), py::arg("on_done"),
           "Starts a chat and returns at once; on_done(result or exception) is called on the "
           "call's thread with the GIL held.")
      .def("start_stream", &start_stream, py::arg("messages"), py::arg("params"),
           py::arg("on_event"), py::arg("on_done"),
           "Starts a stream and returns at once; on_event(event) per event, then "
           "on_done(result or exception), on the call's thread with the GIL held. An exception "
           "raised by on_event cancels the call and goes to on_done.")
      .def("__repr__", [](const ModelRef& model) {
        return "<llmrt.Model " + py::repr(py::str(model.model.name())).cast<std::string>() + ">";
      });
}

}  // namespace

}  // namespace llmrt::python

PYBIND11_MODULE(_llmrt, m) {
  m.doc() = "llmrt's C++ runtime (use the llmrt package)";
  m.attr("__version__") = LLMRT_VERSION_STRING;
  llmrt::python::g_main_thread = pybind11::module_::import("threading")
                                     .attr("main_thread")()
                                     .attr("ident")
                                     .cast<unsigned long>();
  llmrt::python::bind_values(m);
  llmrt::python::bind_calls(m);
  llmrt::python::bind_runtime(m);
}
