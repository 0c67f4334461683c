// The loader against real shared libraries built in the test tree (tests/fixture_plugins).
#include <gtest/gtest.h>

#include "support/contains.h"

#include <cstdlib>

#include "llmrt/core/plugin_registry.h"
#include "llmrt/sdk/error.h"
#include "llmrt/sdk/plugin_abi.h"

namespace llmrt::core {
namespace {

using test::contains;

namespace fs = std::filesystem;

fs::path fixture(const std::string& folder) { return fs::path(LLMRT_TEST_FIXTURE_DIR) / folder; }

fs::path only_file(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) return e.path();
  return {};
}

LoadError load_error_of(const std::string& folder) {
  PluginRegistry registry;
  auto error = registry.load_file(only_file(fixture(folder)));
  EXPECT_TRUE(error.has_value()) << folder;
  EXPECT_TRUE(registry.plugins().empty());
  return error.value_or(LoadError{});
}

TEST(PluginRegistry, LoadsAGoodPluginAndHandsOutItsProvider) {
  PluginRegistry registry;
  fs::path file = only_file(fixture("good"));
  ASSERT_FALSE(registry.load_file(file).has_value());
  auto plugins = registry.plugins();
  ASSERT_EQ(plugins.size(), 1u);
  EXPECT_EQ(plugins[0].name, "fixture");
  EXPECT_EQ(plugins[0].version, "9.9.9");
  EXPECT_EQ(plugins[0].abi_version, LLMRT_PLUGIN_ABI_VERSION);
  EXPECT_EQ(plugins[0].provider.key_env_var, "FIXTURE_API_KEY");
  auto provider = registry.get_provider("fixture");
  EXPECT_EQ(provider->build_request({.model = "m", .api_base = "u"}, {}).body, "m");
}

TEST(PluginRegistry, ProviderOutlivesTheRegistry) {
  std::shared_ptr<const Provider> provider;
  {
    PluginRegistry registry;
    ASSERT_FALSE(registry.load_file(only_file(fixture("good"))).has_value());
    provider = registry.get_provider("fixture");
  }
  // The provider's deleter owns the library: its code is still mapped here.
  EXPECT_EQ(provider->info().name, "fixture");
}

TEST(PluginRegistry, MissingFile) {
  PluginRegistry registry;
  auto error = registry.load_file("/nonexistent/libnothing.so");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind, LoadErrorKind::missing_file);
  EXPECT_TRUE(contains(error->message, "/nonexistent/libnothing.so"));
}

TEST(PluginRegistry, NotALibrary) {
  LoadError e = load_error_of("not_a_library");
  EXPECT_EQ(e.kind, LoadErrorKind::not_a_library);
  EXPECT_TRUE(contains(e.message, "libtext.so")) << e.message;
}

TEST(PluginRegistry, MissingEntryPoint) {
  LoadError e = load_error_of("no_entry");
  EXPECT_EQ(e.kind, LoadErrorKind::missing_entry_point);
  EXPECT_TRUE(contains(e.message, "llmrt_plugin_info")) << e.message;
}

TEST(PluginRegistry, AbiMismatchNamesFileAndBothVersions) {
  LoadError e = load_error_of("wrong_abi");
  EXPECT_EQ(e.kind, LoadErrorKind::abi_mismatch);
  EXPECT_TRUE(contains(e.message, "libfixture_wrong_abi.so")) << e.message;
  EXPECT_TRUE(contains(e.message, "ABI version 99")) << e.message;
  EXPECT_TRUE(contains(e.message, "ABI version " + std::to_string(LLMRT_PLUGIN_ABI_VERSION)))
      << e.message;
}

TEST(PluginRegistry, BuildMismatchNamesBothTags) {
  LoadError e = load_error_of("wrong_build");
  EXPECT_EQ(e.kind, LoadErrorKind::build_mismatch);
  EXPECT_TRUE(contains(e.message, "gcc-1/fake-stdlib/llmrt-0.0")) << e.message;
  EXPECT_TRUE(contains(e.message, LLMRT_BUILD_TAG)) << e.message;
}

// A plugin built against SDK headers in which ErrorInfo has one field more (and the same ABI
// version) is refused before anything of it runs: its layout fingerprint names the type.
TEST(PluginRegistry, LayoutMismatchNamesTheTypeAndTheField) {
  LoadError e = load_error_of("stale_layout");
  EXPECT_EQ(e.kind, LoadErrorKind::layout_mismatch);
  EXPECT_TRUE(contains(e.message, "libfixture_stale_layout.so")) << e.message;
  EXPECT_TRUE(contains(e.message, "built against a different llmrt SDK")) << e.message;
  EXPECT_TRUE(contains(e.message, "ErrorInfo differs")) << e.message;
  // The added field comes first, so the first listed field moved: named with both offsets.
  EXPECT_TRUE(contains(e.message, "field kind at offset 32 vs 0")) << e.message;
}

TEST(PluginRegistry, CreateFailure) {
  EXPECT_EQ(load_error_of("create_fails").kind, LoadErrorKind::create_failed);
}

// The provider's constructor throws inside LLMRT_EXPORT_PLUGIN's create(): a null provider,
// reported like any create failure.
TEST(PluginRegistry, ConstructorThatThrowsIsACreateFailure) {
  LoadError e = load_error_of("create_throws");
  EXPECT_EQ(e.kind, LoadErrorKind::create_failed);
  EXPECT_TRUE(contains(e.message, "libfixture_create_throws.so")) << e.message;
}

// info() is the first virtual call into a new provider: when it throws, the file is skipped
// with the reason, not the process (it reached std::terminate before).
TEST(PluginRegistry, InfoThatThrowsIsSkippedWithItsReason) {
  LoadError e = load_error_of("info_throws");
  EXPECT_EQ(e.kind, LoadErrorKind::create_failed);
  EXPECT_TRUE(contains(e.message, "libfixture_info_throws.so")) << e.message;
  EXPECT_TRUE(contains(e.message, "info() failed on purpose")) << e.message;
}

TEST(PluginRegistry, DuplicateNameKeepsTheFirstAndNamesBothFiles) {
  PluginRegistry registry;
  auto errors = registry.load_directory(fixture("duplicate"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].kind, LoadErrorKind::duplicate_name);
  EXPECT_TRUE(contains(errors[0].message, "libfixture_dup_a.so")) << errors[0].message;
  EXPECT_TRUE(contains(errors[0].message, "libfixture_dup_b.so")) << errors[0].message;
  ASSERT_EQ(registry.plugins().size(), 1u);
  EXPECT_TRUE(contains(registry.plugins()[0].path.string(), "dup_a"));
}

TEST(PluginRegistry, BadFilesNeverStopTheGoodOnes) {
  PluginRegistry registry;
  auto errors = registry.load_directory(fixture("mixed"));
  std::vector<LoadErrorKind> kinds;
  for (const auto& e : errors) kinds.push_back(e.kind);
  EXPECT_EQ(kinds,
            (std::vector<LoadErrorKind>{LoadErrorKind::not_a_library, LoadErrorKind::abi_mismatch,
                                        LoadErrorKind::create_failed}));
  EXPECT_NE(registry.find_provider("fixture"), nullptr);
  EXPECT_NE(registry.find_provider("second"), nullptr);
  EXPECT_EQ(registry.find_provider("other"), nullptr);
  EXPECT_EQ(registry.find_provider("third"), nullptr);
}

TEST(PluginRegistry, GetProviderNamesWhatIsLoaded) {
  PluginRegistry registry;
  ASSERT_FALSE(registry.load_file(only_file(fixture("good"))).has_value());
  try {
    registry.get_provider("nope");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
    EXPECT_TRUE(contains(e.what(), "'nope'"));
    EXPECT_TRUE(contains(e.what(), "fixture"));
  }
}

TEST(PluginRegistry, DiscoversExplicitPathsThenLlmrtPluginPath) {
  setenv("LLMRT_PLUGIN_PATH", (fixture("duplicate").string() + ":" + LLMRT_TEST_PLUGIN_DIR).c_str(),
         1);
  PluginRegistry registry;
  auto errors = registry.discover({only_file(fixture("good"))});
  unsetenv("LLMRT_PLUGIN_PATH");
  // The explicit file wins the name "fixture"; both duplicates from the variable's folder are
  // then reported, and the real openai plugin is found in the second folder.
  EXPECT_TRUE(contains(registry.plugins()[0].path.string(), "good") ||
              contains(registry.plugins()[1].path.string(), "good"));
  EXPECT_NE(registry.find_provider("openai"), nullptr);
  std::size_t duplicates = 0;
  for (const auto& e : errors) duplicates += e.kind == LoadErrorKind::duplicate_name;
  EXPECT_EQ(duplicates, 2u);
}

TEST(PluginRegistry, DefaultDirsFollowTheVariableAndNeverTheCurrentDirectory) {
  setenv("LLMRT_PLUGIN_PATH", "/a/b::/c", 1);
  auto dirs = default_plugin_dirs();
  unsetenv("LLMRT_PLUGIN_PATH");
  ASSERT_GE(dirs.size(), 3u);
  EXPECT_EQ(dirs[0], "/a/b");
  EXPECT_EQ(dirs[1], "/c");
  for (const auto& d : dirs) EXPECT_NE(d, fs::current_path());
}

}  // namespace
}  // namespace llmrt::core
