#pragma once

namespace llmrt {

// std::visit over a StreamEvent with one lambda per alternative.
template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
// C++20 deduces this by itself; clang 14 (the fuzz build) does not yet.
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace llmrt
