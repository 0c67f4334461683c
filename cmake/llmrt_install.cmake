# cmake --install: headers, the core library, the C API, the SDK, plugins, the llmrt command, and a CMake
# package plus a pkg-config file so a host project finds it all.
include(CMakePackageConfigHelpers)

install(DIRECTORY "${PROJECT_SOURCE_DIR}/sdk/include/" "${PROJECT_SOURCE_DIR}/kit/include/"
                  "${PROJECT_SOURCE_DIR}/core/include/" "${PROJECT_SOURCE_DIR}/capi/include/"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${PROJECT_BINARY_DIR}/sdk/generated/llmrt/sdk/version.h"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/llmrt/sdk")
install(TARGETS llmrt_sdk llmrt_plugin_kit llmrt_core llmrt_c EXPORT llmrtTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")

set(LLMRT_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/llmrt")
install(EXPORT llmrtTargets NAMESPACE llmrt:: DESTINATION "${LLMRT_CMAKE_DIR}")
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/llmrtConfig.cmake.in" "${PROJECT_BINARY_DIR}/llmrtConfig.cmake"
  INSTALL_DESTINATION "${LLMRT_CMAKE_DIR}" PATH_VARS LLMRT_PLUGIN_INSTALL_DIR)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/llmrtConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/llmrtConfig.cmake" "${PROJECT_BINARY_DIR}/llmrtConfigVersion.cmake"
        DESTINATION "${LLMRT_CMAKE_DIR}")

file(RELATIVE_PATH LLMRT_PC_UP "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file("${PROJECT_SOURCE_DIR}/cmake/llmrt.pc.in" "${PROJECT_BINARY_DIR}/llmrt.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/llmrt.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
# The C API has a file of its own: llmrt.pc's flags are C++ flags (-std=c++20), which a C
# compiler refuses.
configure_file("${PROJECT_SOURCE_DIR}/cmake/llmrt-c.pc.in" "${PROJECT_BINARY_DIR}/llmrt-c.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/llmrt-c.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

# The plugin template beside the SDK it builds against: a plugin author copies
# share/llmrt/plugin_template and builds it with -DCMAKE_PREFIX_PATH=<this prefix>. Only its
# sources and data: no build folder or editor files someone left in examples/.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/examples/plugin_template/"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/llmrt/plugin_template"
        PATTERN ".*" EXCLUDE
        PATTERN "build*" EXCLUDE)
