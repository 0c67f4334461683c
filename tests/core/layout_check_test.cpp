// The loader's comparison of layout fingerprints (abi_layout.h), on hand-made tables: every way
// a plugin's table can differ is named, and a broken table is a difference, not a crash.
#include "plugins/layout_check.h"

#include <gtest/gtest.h>

#include "support/contains.h"

namespace llmrt::core {
namespace {

using test::contains;

const llmrt_layout_field kErrorFields[] = {{"kind", 0, 4}, {"url", 8, 32}, {nullptr, 0, 0}};
const llmrt_layout_field kUsageFields[] = {{"total_tokens", 0, 8}, {nullptr, 0, 0}};

// A core with two types; each test copies and changes what the plugin reports.
struct Tables {
  llmrt_layout_field error_fields[2] = {kErrorFields[0], kErrorFields[1]};
  llmrt_layout_type types[2] = {{"ErrorInfo", 40, 8, 2, error_fields},
                                {"Usage", 8, 8, 1, kUsageFields}};
  llmrt_layout_table table{2, types};
};

std::string difference(const Tables& plugin) {
  static const Tables ours;
  return layout_difference(&plugin.table, ours.table).value_or("(none)");
}

TEST(LayoutCheck, TheSameLayoutIsNoDifference) {
  Tables plugin;
  EXPECT_FALSE(layout_difference(&plugin.table, Tables{}.table).has_value());
  EXPECT_FALSE(layout_difference(&kSdkLayout, kSdkLayout).has_value());
}

TEST(LayoutCheck, NamesTheTypeItsSizeAndTheFieldThatMoved) {
  Tables plugin;
  plugin.types[0].size = 72;
  plugin.error_fields[1].offset = 40;
  EXPECT_EQ(difference(plugin),
            "ErrorInfo differs (plugin vs this llmrt: size 72 vs 40, field url at offset 40 vs 8)");
}

TEST(LayoutCheck, NamesAFieldOfAnotherSizeOrAlignment) {
  Tables plugin;
  plugin.error_fields[1].size = 24;
  EXPECT_EQ(difference(plugin),
            "ErrorInfo differs (plugin vs this llmrt: field url of size 24 vs 32)");
  Tables aligned;
  aligned.types[1].align = 16;
  EXPECT_EQ(difference(aligned), "Usage differs (plugin vs this llmrt: alignment 16 vs 8)");
}

TEST(LayoutCheck, NamesAFieldMissingOnEitherSide) {
  Tables plugin;
  plugin.types[0].field_count = 1;
  EXPECT_EQ(difference(plugin),
            "ErrorInfo differs (plugin vs this llmrt: field url missing in the plugin)");
  Tables renamed;
  renamed.error_fields[1].name = "uri";
  EXPECT_TRUE(contains(difference(renamed), "field url missing in the plugin"));
}

TEST(LayoutCheck, NamesATypeMissingOnEitherSide) {
  Tables older;
  older.table.type_count = 1;
  EXPECT_EQ(difference(older), "Usage is missing from the plugin's SDK");
  Tables newer;
  newer.types[1].name = "WarningEvent";
  EXPECT_EQ(difference(newer), "Usage is missing from the plugin's SDK");
  Tables plugin;
  Tables ours;
  ours.table.type_count = 1;
  EXPECT_EQ(layout_difference(&plugin.table, ours.table).value_or(""),
            "Usage is in the plugin's SDK, not in this llmrt's");
}

TEST(LayoutCheck, ABrokenTableIsADifferenceNotACrash) {
  EXPECT_EQ(layout_difference(nullptr, kSdkLayout).value_or(""), "the plugin has no layout table");
  Tables huge;
  huge.table.type_count = 1ull << 40;
  EXPECT_EQ(difference(huge), "the plugin's layout table is malformed");
  Tables no_types;
  no_types.table.types = nullptr;
  EXPECT_EQ(difference(no_types), "the plugin's layout table is malformed");
  Tables no_fields;
  no_fields.types[0].fields = nullptr;
  EXPECT_EQ(difference(no_fields), "ErrorInfo: malformed field list");
  Tables no_name;
  no_name.types[1].name = nullptr;
  EXPECT_EQ(difference(no_name), "Usage is missing from the plugin's SDK");
}

}  // namespace
}  // namespace llmrt::core
