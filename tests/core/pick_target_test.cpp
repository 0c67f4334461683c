// The strategies as pure functions of what they know of the candidates.
#include "routing/pick_target.h"

#include <gtest/gtest.h>

namespace llmrt::core {
namespace {

std::vector<Candidate> three() {
  return {{.index = 0, .weight = 1}, {.index = 1, .weight = 2}, {.index = 2, .weight = 1}};
}

TEST(PickTarget, WeightedSplitsTheUnitRangeByWeight) {
  // Weights 1, 2, 1: [0, .25) the first, [.25, .75) the second, [.75, 1) the third.
  EXPECT_EQ(pick_target(RouteStrategy::weighted, three(), 0, 0.0), 0u);
  EXPECT_EQ(pick_target(RouteStrategy::weighted, three(), 0, 0.24), 0u);
  EXPECT_EQ(pick_target(RouteStrategy::weighted, three(), 0, 0.26), 1u);
  EXPECT_EQ(pick_target(RouteStrategy::weighted, three(), 0, 0.74), 1u);
  EXPECT_EQ(pick_target(RouteStrategy::weighted, three(), 0, 0.76), 2u);
  EXPECT_EQ(pick_target(RouteStrategy::weighted, three(), 0, 0.999999), 2u);
}

TEST(PickTarget, RoundRobinTakesTheCandidatesInTurn) {
  for (std::uint64_t turn = 0; turn < 7; ++turn) {
    EXPECT_EQ(pick_target(RouteStrategy::round_robin, three(), turn, 0.9), turn % 3);
  }
}

TEST(PickTarget, LeastBusyTakesTheFewestInFlightAndSharesTies) {
  std::vector<Candidate> c = three();
  c[0].in_flight = 4;
  c[1].in_flight = 1;
  c[2].in_flight = 7;
  EXPECT_EQ(pick_target(RouteStrategy::least_busy, c, 0, 0.99), 1u);
  c[2].in_flight = 1;  // a tie between 1 and 2: the random number decides
  EXPECT_EQ(pick_target(RouteStrategy::least_busy, c, 0, 0.1), 1u);
  EXPECT_EQ(pick_target(RouteStrategy::least_busy, c, 0, 0.9), 2u);
}

TEST(PickTarget, LowestLatencyMeasuresTheUnmeasuredFirst) {
  std::vector<Candidate> c = three();
  c[0].latency = 0.5;
  c[1].latency = 0.05;
  c[2].latency = 2.0;
  EXPECT_EQ(pick_target(RouteStrategy::lowest_latency, c, 0, 0.5), 1u);
  c[2].latency.reset();
  EXPECT_EQ(pick_target(RouteStrategy::lowest_latency, c, 0, 0.5), 2u);
}

TEST(PickTarget, OneCandidateIsAlwaysTheOne) {
  std::vector<Candidate> one{{.index = 5, .weight = 1000000}};
  for (RouteStrategy s : {RouteStrategy::weighted, RouteStrategy::round_robin,
                          RouteStrategy::least_busy, RouteStrategy::lowest_latency}) {
    EXPECT_EQ(pick_target(s, one, 12345, 0.999), 0u);
  }
}

}  // namespace
}  // namespace llmrt::core
