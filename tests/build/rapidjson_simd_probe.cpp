// Compiled (never run) by the build.rapidjson_simd_* tests with llmrt_rapidjson's settings:
// RapidJSON's SSE2 scan is on exactly when the test expects it.
#include <rapidjson/rapidjson.h>

#if defined(EXPECT_SSE2) && !defined(RAPIDJSON_SSE2)
#error "RAPIDJSON_SSE2 is off in a build without sanitizers"
#endif
#if !defined(EXPECT_SSE2) && defined(RAPIDJSON_SSE2)
#error "RAPIDJSON_SSE2 is on in a sanitized build: ASan reports its reads past buffers"
#endif

int main() { return 0; }
