# The Python package (python/) is built when Debian's pybind11-dev and python3-dev are there,
# except in sanitized and fuzz builds: an interpreter that is not sanitized cannot load a
# sanitized extension.
if(EXISTS /usr/bin/python3 AND NOT DEFINED Python3_EXECUTABLE)
  # Debian's python, not a pyenv or virtualenv one first on PATH: the package is for it.
  set(Python3_EXECUTABLE /usr/bin/python3)
endif()
set(llmrt_python_default OFF)
if(LLMRT_SANITIZE STREQUAL "" AND NOT LLMRT_BUILD_FUZZERS)
  find_package(Python3 COMPONENTS Interpreter Development.Module QUIET)
  find_package(pybind11 CONFIG QUIET)
  if(Python3_FOUND AND pybind11_FOUND)
    set(llmrt_python_default ON)
  endif()
endif()
option(LLMRT_PYTHON "Build the llmrt Python package (needs pybind11 and Python 3 headers)"
       ${llmrt_python_default})
if(LLMRT_PYTHON)
  if(NOT LLMRT_SANITIZE STREQUAL "" OR LLMRT_BUILD_FUZZERS)
    message(FATAL_ERROR "LLMRT_PYTHON cannot be built with LLMRT_SANITIZE or LLMRT_BUILD_FUZZERS: "
                        "an unsanitized interpreter cannot load a sanitized extension")
  endif()
  find_package(Python3 REQUIRED COMPONENTS Interpreter Development.Module)
  find_package(pybind11 CONFIG REQUIRED)
  add_subdirectory(python)
endif()
