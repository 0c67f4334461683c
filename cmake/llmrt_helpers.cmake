# Our own code is built with -Wall -Wextra -Wpedantic; third-party headers come in as SYSTEM
# includes. Warnings are errors only when LLMRT_WERROR asks (the presets, scripts/test.sh, CI):
# a user's build with another compiler or build type must not fail on a new warning.
function(llmrt_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
    $<$<BOOL:${LLMRT_WERROR}>:-Werror>
    # Designated initializers leave the other members at their defaults on purpose.
    -Wno-missing-field-initializers
    # clang 14 in C++20 warns about RapidJSON's member iteration (TOOLCHAIN.md).
    $<$<CXX_COMPILER_ID:Clang>:-Wno-ambiguous-reversed-operator>)
endfunction()

# A provider plugin: a MODULE library that must resolve every symbol at link time
# (a missing one would otherwise surface only when the loader calls into it).
function(llmrt_add_plugin target)
  cmake_parse_arguments(ARG "" "OUTPUT_DIR" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${target} MODULE ${ARG_SOURCES})
  llmrt_warnings(${target})
  target_link_libraries(${target} PRIVATE llmrt::sdk ${ARG_LIBRARIES})
  # (Except in the fuzz build: clang links its sanitizer runtimes into the executable, so a
  # plugin's references to them resolve only at load time.)
  if(NOT LLMRT_BUILD_FUZZERS)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${LLMRT_PLUGIN_OUTPUT_DIR}")
  endif()
  set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIR}")
endfunction()
