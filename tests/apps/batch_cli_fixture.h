// The fixture of the `llmrt batch` CLI tests: a mock server on loopback, an input and an output
// in a fresh temporary folder, and the output read back line by line.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "llmrt/mock/mock_server.h"
#include "support/run_process.h"

namespace llmrt::test {

class BatchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "llmrt-batch-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    input_ = dir_ + "/in.jsonl";
    output_ = dir_ + "/out.jsonl";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write_input(int items, const std::string& params = "{}") {
    std::ofstream in(input_);
    for (int i = 0; i < items; ++i) {
      in << R"({"custom_id":"item-)" << i << R"(","messages":[{"role":"user","content":"q )" << i
         << R"("}],"params":)" << params << "}\n";
    }
  }
  std::vector<std::string> batch_argv(std::vector<std::string> extra = {}) const {
    std::vector<std::string> argv{
        LLMRT_TEST_CLI, "batch", "--model", "m", "--api-base", server_.base_url() + "/v1",
        "--key",        "k",     "--retry", "0", "--input",    input_,
        "--output",     output_};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  // custom_id → how many times it is in the output, and whether its last line succeeded.
  std::map<std::string, std::pair<int, bool>> output_ids() const {
    std::ifstream in(output_);
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    text.resize(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);  // whole lines
    std::map<std::string, std::pair<int, bool>> ids;
    for (const std::string& line : test::lines_of(text)) {
      rapidjson::Document doc;
      doc.Parse(line.c_str());
      EXPECT_FALSE(doc.HasParseError()) << "a broken line in the output: " << line;
      if (doc.HasParseError()) continue;
      auto& entry = ids[doc["custom_id"].GetString()];
      ++entry.first;
      entry.second = doc.HasMember("response");
    }
    return ids;
  }

  mock::MockServer server_;
  std::string dir_, input_, output_;
};

}  // namespace llmrt::test
