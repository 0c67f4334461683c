#pragma once

#include <cxxabi.h>

#include <cstddef>
#include <cstring>

// What a fiber switch must carry besides the stack. The exceptions being handled are the
// thread's (the Itanium C++ ABI's __cxa_eh_globals): a fiber that waits inside a catch block
// keeps its own, or another fiber's catch ending meanwhile would pop (and free) its exception.
// And AddressSanitizer and ThreadSanitizer follow a thread's stack, which a switch moves where
// they cannot see: they are told (the calls are nothing in other builds).
#if defined(__SANITIZE_ADDRESS__)
#define LLMRT_FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LLMRT_FIBER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define LLMRT_FIBER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LLMRT_FIBER_TSAN 1
#endif
#endif

#ifdef LLMRT_FIBER_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef LLMRT_FIBER_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace llmrt::core {

// The switches of one loop between its scheduler (the thread's own stack) and its fibers.
class FiberSwitch {
 public:
  // The head of __cxa_eh_globals, as the ABI lays it out.
  struct Exceptions {
    void* caught = nullptr;  // the innermost exception being handled
    unsigned int uncaught = 0;
  };

  struct Stack {
    Exceptions exceptions;  // the fiber's while it is switched out, the scheduler's while in
    const void* bottom = nullptr;
    std::size_t size = 0;
    void* fake_stack = nullptr;  // ASan's, kept while the fiber is switched out
    void* tsan_fiber = nullptr;
  };

  // `top` and `size` as Boost.Context's stack_context has them (the stack grows down from top).
  Stack new_stack([[maybe_unused]] void* top, [[maybe_unused]] std::size_t size) {
    Stack s;
    s.bottom = static_cast<char*>(top) - size;
    s.size = size;
#ifdef LLMRT_FIBER_TSAN
    s.tsan_fiber = __tsan_create_fiber(0);
#endif
    return s;
  }
  void release([[maybe_unused]] Stack& s) {
#ifdef LLMRT_FIBER_TSAN
    if (s.tsan_fiber != nullptr) __tsan_destroy_fiber(s.tsan_fiber);
    s.tsan_fiber = nullptr;
#endif
  }

  void enter_scheduler() {
#ifdef LLMRT_FIBER_TSAN
    scheduler_tsan_ = __tsan_get_current_fiber();
#endif
  }
  // Before the scheduler switches to the fiber of `s`.
  void to_fiber(Stack& s) {
    swap_exceptions(s);
#ifdef LLMRT_FIBER_ASAN
    __sanitizer_start_switch_fiber(&scheduler_fake_, s.bottom, s.size);
#endif
#ifdef LLMRT_FIBER_TSAN
    __tsan_switch_to_fiber(s.tsan_fiber, 0);
#endif
  }
  // First thing on the fiber of `s`, when it starts and after every switch back to it.
  void arrived_on([[maybe_unused]] Stack& s) {
#ifdef LLMRT_FIBER_ASAN
    __sanitizer_finish_switch_fiber(s.fake_stack, &scheduler_bottom_, &scheduler_size_);
#endif
  }
  // Before the fiber of `s` switches back to the scheduler (it will run again).
  void to_scheduler([[maybe_unused]] Stack& s) {
#ifdef LLMRT_FIBER_ASAN
    __sanitizer_start_switch_fiber(&s.fake_stack, scheduler_bottom_, scheduler_size_);
#endif
#ifdef LLMRT_FIBER_TSAN
    __tsan_switch_to_fiber(scheduler_tsan_, 0);
#endif
  }
  // Before the fiber of `s` returns for the last time.
  void leaving_for_good([[maybe_unused]] Stack& s) {
#ifdef LLMRT_FIBER_ASAN
    __sanitizer_start_switch_fiber(nullptr, scheduler_bottom_, scheduler_size_);
#endif
#ifdef LLMRT_FIBER_TSAN
    __tsan_switch_to_fiber(scheduler_tsan_, 0);
#endif
  }
  // First thing on the scheduler after the fiber of `s` switched back (or ended).
  void back_on_scheduler(Stack& s) {
#ifdef LLMRT_FIBER_ASAN
    __sanitizer_finish_switch_fiber(scheduler_fake_, nullptr, nullptr);
#endif
    swap_exceptions(s);
  }

 private:
  static void swap_exceptions(Stack& s) {
    auto* globals = reinterpret_cast<unsigned char*>(abi::__cxa_get_globals());
    unsigned char* uncaught = globals + offsetof(Exceptions, uncaught);
    Exceptions running;
    std::memcpy(&running.caught, globals, sizeof running.caught);
    std::memcpy(&running.uncaught, uncaught, sizeof running.uncaught);
    std::memcpy(globals, &s.exceptions.caught, sizeof s.exceptions.caught);
    std::memcpy(uncaught, &s.exceptions.uncaught, sizeof s.exceptions.uncaught);
    s.exceptions = running;
  }

#ifdef LLMRT_FIBER_ASAN
  void* scheduler_fake_ = nullptr;
  const void* scheduler_bottom_ = nullptr;
  std::size_t scheduler_size_ = 0;
#endif
#ifdef LLMRT_FIBER_TSAN
  void* scheduler_tsan_ = nullptr;
#endif
};

}  // namespace llmrt::core
