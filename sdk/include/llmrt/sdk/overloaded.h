#pragma once

namespace llmrt {

// std::visit over a StreamEvent with one lambda per alternative.
template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};

}  // namespace llmrt
