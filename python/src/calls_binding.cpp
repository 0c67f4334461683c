// The Python classes of calls in flight: cancel tokens, both kinds of stream, a batch's results
// as they finish, call handles.
#include "batch.h"
#include "calls.h"

namespace llmrt::python {

void bind_calls(py::module_& m) {
  py::class_<core::CancelToken, std::shared_ptr<core::CancelToken>>(
      m, "CancelToken", "Cancels the calls it is given to, from any thread.")
      .def(py::init<>())
      .def("cancel", &core::CancelToken::cancel, py::call_guard<py::gil_scoped_release>(),
           "Cancel every call given this token (they end with llmrt.CancelledError).")
      .def_property_readonly("cancelled", &core::CancelToken::cancelled);

  py::class_<EventStream>(m, "Stream", "The events of a streamed reply, as they arrive.")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &EventStream::next)
      .def("close", &EventStream::close,
           "Cancel the stream: iteration stops quietly and result stays None.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](EventStream& s, const py::args&) { s.close(); })
      .def_property_readonly("result", &EventStream::result,
                             "The whole reply once the stream has ended; None before.");

  py::class_<ChunkStream>(m, "ChunkStream", "lagent's (status, text, delta) chunks of a stream.")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &ChunkStream::next)
      .def("close", &ChunkStream::close,
           "Cancel the stream: iteration stops quietly and result stays None.")
      .def("take_ready", &ChunkStream::take_ready,
           "The chunks that have arrived, without waiting: (status, text, delta) tuples, END "
           "last, or the call's exception last when it failed; [] when nothing is new.")
      .def("set_wake_fd", &ChunkStream::set_wake_fd, py::arg("fd"), py::arg("token") = 0,
           "Write token (8 bytes, native order) to fd, a non-blocking pipe an event loop "
           "watches, when chunks arrive that take_ready() has not returned; fd -1: stop.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](ChunkStream& s, const py::args&) { s.close(); })
      .def_property_readonly("result", &ChunkStream::result,
                             "The whole reply once the stream has ended; None before.");

  py::class_<BatchResults>(m, "BatchResults",
                           "A batch's (index, ChatResult or LlmrtError) pairs as they finish.")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &BatchResults::next)
      .def("close", &BatchResults::close,
           "Cancel the conversations not yet finished; iteration stops.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](BatchResults& b, const py::args&) { b.close(); });

  py::class_<CallHandle>(m, "CallHandle", "A call started with callbacks.")
      .def("cancel", &CallHandle::cancel, py::call_guard<py::gil_scoped_release>(),
           "Cancel the call: on_done gets llmrt.CancelledError with the partial content.")
      .def_property_readonly("done", &CallHandle::done);

  m.def("_stop_all_calls", &stop_all_calls,
        "Cancel every running call and wait for its thread (registered with atexit).");
}

}  // namespace llmrt::python
