// spmc_sim_chart (issue 21): what a trace becomes on the chart. Each test feeds a few
// hand-written trace lines (the shapes TraceLine writes) and checks the chart model, so a
// rule broken in the reader shows here before anyone looks at a picture.
#include "spmc/sim/chart.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace spmc::sim {
namespace {

const std::string kHeader =
    R"({"t":0,"ev":"world","seed":1,"bug":0,"scenario":{"name":"t","phones":3}})"
    "\n"
    R"({"t":10,"ev":"ph_signed_up","phone":0,"peer":"alice","counter":0,"key_ts":0,"detail":""})"
    "\n"
    R"({"t":10,"ev":"ph_signed_up","phone":1,"peer":"bob","counter":0,"key_ts":0,"detail":""})"
    "\n";

// Phone `phone` sends message `counter` to the server at `t` (packet `id`), delivered at `t + 500`.
std::string message(std::uint64_t t, std::uint64_t id, std::uint32_t phone, std::uint64_t counter) {
  const std::string ts = std::to_string(t);
  const std::string node = std::to_string(phone + 1);
  return R"({"t":)" + ts + R"(,"ev":"ph_msg_send","phone":)" + std::to_string(phone) +
         R"(,"peer":"bob","counter":)" + std::to_string(counter) + R"(,"key_ts":1,"detail":"x"})" +
         "\n" + R"({"t":)" + ts + R"(,"ev":"net_send","id":)" + std::to_string(id) + R"(,"from":)" +
         node + R"(,"to":0,"len":200,"bytes":"sha256:)" + std::to_string(id) + R"("})" + "\n" +
         R"({"t":)" + std::to_string(t + 500) + R"(,"ev":"net_deliver","id":)" +
         std::to_string(id) + R"(,"from":)" + node + R"(,"to":0})" + "\n";
}

Result<Chart> chart_of(const std::string& text, const ChartOptions& options = {}) {
  std::istringstream in(text);
  return read_chart(in, "t.jsonl", options);
}

std::size_t lane_named(const Chart& chart, const std::string& name) {
  for (std::size_t i = 0; i < chart.lifelines.size(); ++i) {
    if (chart.lifelines[i].name == name) {
      return i;
    }
  }
  ADD_FAILURE() << "no lifeline " << name;
  return 0;
}

TEST(Chart, ASendAndItsDeliveryBecomeOneArrowBetweenTheRightLifelines) {
  const auto chart = chart_of(kHeader + message(1000, 7, 0, 5));
  ASSERT_TRUE(chart.ok()) << chart.error().detail;
  ASSERT_EQ(chart->arrows.size(), 1U);
  const Arrow& a = chart->arrows[0];
  EXPECT_EQ(a.from, lane_named(*chart, "phone 0"));
  EXPECT_EQ(a.to, lane_named(*chart, "server"));
  EXPECT_EQ(a.sent, 1000U);
  EXPECT_EQ(a.arrived, 1500U);
  EXPECT_EQ(a.label, "msg c=5");
  EXPECT_EQ(a.kind, ArrowKind::kAppMessage);
  EXPECT_FALSE(a.lost);
  EXPECT_EQ(chart->lifelines[a.from].detail, "alice");  // the user id from ph_signed_up
}

TEST(Chart, ADroppedFrameBecomesALostArrowWithTheReason) {
  const std::string text =
      kHeader +
      R"({"t":100,"ev":"net_send","id":3,"from":0,"to":2,"len":9,"bytes":"020000000100000004"})"
      "\n"
      R"({"t":900,"ev":"net_drop","id":3,"reason":"receiver_offline"})"
      "\n";
  const auto chart = chart_of(text);
  ASSERT_TRUE(chart.ok()) << chart.error().detail;
  ASSERT_EQ(chart->arrows.size(), 1U);
  EXPECT_TRUE(chart->arrows[0].lost);
  EXPECT_EQ(chart->arrows[0].lost_reason, "receiver_offline");
  EXPECT_EQ(chart->arrows[0].label, "ack");  // an inline channel frame of kind 2
  EXPECT_EQ(chart->arrows[0].to, lane_named(*chart, "phone 1"));
  EXPECT_NE(render_svg(*chart).find("lost (receiver_offline)"), std::string::npos);
}

TEST(Chart, TheWindowKeepsExactlyTheFramesSentInsideIt) {
  const std::string text =
      kHeader + message(1000, 1, 0, 1) + message(5000, 2, 0, 2) + message(9000, 3, 0, 3);
  ChartOptions options;
  options.from_us = 4000;
  options.to_us = 6000;
  const auto chart = chart_of(text, options);
  ASSERT_TRUE(chart.ok()) << chart.error().detail;
  ASSERT_EQ(chart->arrows.size(), 1U);
  EXPECT_EQ(chart->arrows[0].label, "msg c=2");
  EXPECT_EQ(chart->window_from, 4000U);
  EXPECT_EQ(chart->window_to, 6000U);
}

TEST(Chart, ThePhoneFilterKeepsOnlyThatPhonesFramesAndLifelines) {
  const std::string text = kHeader + message(1000, 1, 0, 1) + message(2000, 2, 1, 1) +
                           message(3000, 3, 2, 1) + message(4000, 4, 1, 2);
  ChartOptions options;
  options.phones = {1};
  const auto chart = chart_of(text, options);
  ASSERT_TRUE(chart.ok()) << chart.error().detail;
  ASSERT_EQ(chart->lifelines.size(), 2U);
  EXPECT_EQ(chart->lifelines[1].name, "phone 1");
  ASSERT_EQ(chart->arrows.size(), 2U);
  EXPECT_EQ(chart->arrows[0].sent, 2000U);
  EXPECT_EQ(chart->arrows[1].sent, 4000U);
}

TEST(Chart, AConversationKeepsOnlyWhatPassesBetweenItsTwoPhones) {
  // Every message() is addressed to bob (phone 1): phone 0's is in the conversation 0:bob,
  // phone 2's is with another phone, phone 1's is to itself.
  const std::string text =
      kHeader + message(1000, 1, 0, 1) + message(2000, 2, 2, 1) + message(3000, 3, 1, 1);
  for (const auto& names : {std::pair<std::string, std::string>{"0", "1"}, {"alice", "bob"}}) {
    ChartOptions options;
    options.conversation = names;
    const auto chart = chart_of(text, options);
    ASSERT_TRUE(chart.ok()) << chart.error().detail;
    ASSERT_EQ(chart->lifelines.size(), 3U);
    ASSERT_EQ(chart->arrows.size(), 1U);
    EXPECT_EQ(chart->arrows[0].sent, 1000U);
  }
  ChartOptions unknown;
  unknown.conversation = {"alice", "carol"};
  const auto chart = chart_of(text, unknown);
  ASSERT_FALSE(chart.ok());
  EXPECT_NE(chart.error().detail.find("conversation: unknown phone or user 'carol'"),
            std::string::npos);
}

TEST(Chart, TheCapKeepsTheFirstArrowsAndANoteCountsTheRest) {
  std::string text = kHeader;
  for (std::uint64_t i = 0; i < 10; ++i) {
    text += message(1000 * (i + 1), i + 1, 0, i);
  }
  ChartOptions options;
  options.max_arrows = 4;
  const auto chart = chart_of(text, options);
  ASSERT_TRUE(chart.ok()) << chart.error().detail;
  EXPECT_EQ(chart->arrows.size(), 4U);
  ASSERT_EQ(chart->notes.size(), 1U);
  EXPECT_NE(chart->notes[0].find("6 more arrows from 0.005 s on are left out"), std::string::npos)
      << chart->notes[0];
  EXPECT_NE(render_svg(*chart).find("6 more arrows"), std::string::npos);
}

TEST(Chart, RepeatedIdenticalExchangesCollapseWithACount) {
  std::string text = kHeader;
  for (std::uint64_t i = 0; i < 5; ++i) {
    const std::string t = std::to_string(1000 * (i + 1));
    // The same ack frame bytes each time: a keep-alive-like stream.
    text += R"({"t":)" + t + R"(,"ev":"net_send","id":)" + std::to_string(i + 1) +
            R"(,"from":1,"to":0,"len":9,"bytes":"020000000100000004"})" + "\n";
    text += R"({"t":)" + t + R"(,"ev":"net_deliver","id":)" + std::to_string(i + 1) +
            R"(,"from":1,"to":0})" + "\n";
  }
  const auto chart = chart_of(text);
  ASSERT_TRUE(chart.ok()) << chart.error().detail;
  ASSERT_EQ(chart->arrows.size(), 1U);
  EXPECT_EQ(chart->arrows[0].repeat, 5U);
  EXPECT_EQ(chart->arrows[0].last_sent, 5000U);
}

TEST(Chart, TheSameBytesSentAgainAreMarkedAsARetransmission) {
  const std::string send =
      R"(,"ev":"net_send","id":ID,"from":1,"to":0,"len":200,"bytes":"sha256:aa"})";
  std::string first = send;
  std::string second = send;
  first.replace(first.find("ID"), 2, "1");
  second.replace(second.find("ID"), 2, "2");
  const std::string text =
      kHeader +
      R"({"t":100,"ev":"ph_keyshare_send","phone":0,"peer":"bob","counter":0,"key_ts":1,"detail":""})"
      "\n" +
      R"({"t":100)" + first + "\n" + R"({"t":500)" + second + "\n";
  const auto chart = chart_of(text);
  ASSERT_TRUE(chart.ok()) << chart.error().detail;
  ASSERT_EQ(chart->arrows.size(), 2U);
  EXPECT_FALSE(chart->arrows[0].retransmit);
  EXPECT_TRUE(chart->arrows[1].retransmit);
  EXPECT_EQ(chart->arrows[1].label, "key share");
  EXPECT_TRUE(chart->arrows[1].in_flight);  // never delivered in the trace
}

TEST(Chart, AViolationIsMarkedAtItsFirstMomentAndAroundFailureCentresOnIt) {
  std::string text =
      kHeader + message(1'000'000, 1, 0, 1) + message(20'000'000, 2, 0, 2) +
      message(40'000'000, 3, 0, 3) +
      R"({"t":50000000,"ev":"inv_violation","invariant":"exactly_once_delivery","expected":false,"detail":"msg 2 twice","first_at":20000500})" +
      "\n";
  const auto whole = chart_of(text);
  ASSERT_TRUE(whole.ok()) << whole.error().detail;
  ASSERT_EQ(whole->violations.size(), 1U);
  EXPECT_EQ(whole->violations[0].at, 20'000'500U);
  EXPECT_EQ(whole->violations[0].invariant, "exactly_once_delivery");
  ChartOptions around;
  around.around_failure = true;
  const auto chart = chart_of(text, around);
  ASSERT_TRUE(chart.ok()) << chart.error().detail;
  ASSERT_EQ(chart->arrows.size(), 1U);
  EXPECT_EQ(chart->arrows[0].sent, 20'000'000U);
  EXPECT_EQ(chart->window_from, 20'000'500U - kAroundFailureBeforeUs);
  EXPECT_NE(render_svg(*chart).find("VIOLATED: exactly_once_delivery"), std::string::npos);
}

// An invariant judged on the whole run has no first_at and is recorded at the end: the window
// goes to the first adversary action, where the attack is, and a note says why.
TEST(Chart, AroundFailureOfAnEndJudgedViolationCentresOnTheFirstAdversaryAction) {
  const std::string text =
      kHeader + message(1'000'000, 1, 0, 1) +
      R"({"t":20000000,"ev":"adv_cert","phone":1,"owner":"alice","usage":"encryption"})" + "\n" +
      message(21'000'000, 2, 0, 2) + message(40'000'000, 3, 0, 3) +
      R"({"t":90000000,"ev":"inv_violation","invariant":"adversary_reads_nothing","expected":true,"detail":"read 1"})" +
      "\n";
  ChartOptions around;
  around.around_failure = true;
  const auto chart = chart_of(text, around);
  ASSERT_TRUE(chart.ok()) << chart.error().detail;
  EXPECT_EQ(chart->window_from, 20'000'000U - kAroundAttackBeforeUs);
  EXPECT_EQ(chart->window_to, 20'000'000U + kAroundAttackAfterUs);
  ASSERT_EQ(chart->arrows.size(), 1U);
  EXPECT_EQ(chart->arrows[0].sent, 21'000'000U);
  ASSERT_FALSE(chart->notes.empty());
  EXPECT_NE(chart->notes[0].find("around the first adversary action, at 20.000 s"),
            std::string::npos);
  // The substituted certificate concerns alice and bob's phone: kept in their conversation.
  ChartOptions pair = around;
  pair.conversation = {"alice", "bob"};
  const auto of_pair = chart_of(text, pair);
  ASSERT_TRUE(of_pair.ok()) << of_pair.error().detail;
  ASSERT_EQ(of_pair->marks.size(), 1U);
  EXPECT_EQ(of_pair->marks[0].kind, MarkKind::kAdversary);
}

// A resend has no send event of its own; it stays in the conversation of the frame it repeats.
TEST(Chart, AResentFrameStaysInItsConversation) {
  std::string text = kHeader + message(1000, 1, 0, 1);
  text += R"({"t":5000,"ev":"net_send","id":9,"from":1,"to":0,"len":200,"bytes":"sha256:1"})";
  text += "\n";
  ChartOptions options;
  options.conversation = {"alice", "bob"};
  const auto chart = chart_of(text, options);
  ASSERT_TRUE(chart.ok()) << chart.error().detail;
  ASSERT_EQ(chart->arrows.size(), 2U);
  EXPECT_TRUE(chart->arrows[1].retransmit);
  EXPECT_EQ(chart->arrows[1].label, chart->arrows[0].label);
}

TEST(Chart, AroundFailureWithoutAViolationIsATypedError) {
  ChartOptions around;
  around.around_failure = true;
  const auto chart = chart_of(kHeader + message(1000, 1, 0, 1), around);
  ASSERT_FALSE(chart.ok());
  EXPECT_NE(chart.error().detail.find("no inv_violation"), std::string::npos);
}

TEST(Chart, TheSameInputGivesByteIdenticalOutput) {
  const std::string text = kHeader + message(1000, 1, 0, 1) + message(2'000'000, 2, 1, 4);
  const auto a = chart_of(text);
  const auto b = chart_of(text);
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string svg = render_svg(*a);
  EXPECT_EQ(svg, render_svg(*b));
  EXPECT_EQ(render_mermaid(*a), render_mermaid(*b));
  EXPECT_EQ(render_mscgen(*a), render_mscgen(*b));
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0U);
  EXPECT_NE(svg.find("1.9 s with nothing"), std::string::npos);  // the gap is compressed
}

TEST(Chart, BadLinesGiveTypedErrorsNamingTheLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {kHeader + "not json\n", "t.jsonl:4: not JSON"},
      {kHeader + R"({"ev":"net_send"})" + "\n", "t.jsonl:4: not a trace event"},
      {kHeader + R"({"t":50,"ev":"net_send","from":1,"to":0})" + "\n",
       "t.jsonl:4: field id: missing or not a non-negative integer"},
      {kHeader + message(5000, 1, 0, 1) + R"({"t":10,"ev":"net_dup","id":1})" + "\n",
       "t.jsonl:7: time goes backwards"},
  };
  for (const auto& [text, message_start] : cases) {
    const auto chart = chart_of(text);
    ASSERT_FALSE(chart.ok()) << message_start;
    EXPECT_EQ(chart.error().detail.rfind(message_start, 0), 0U) << chart.error().detail;
  }
}

TEST(Chart, AnUnknownPhoneOrAnEmptyWindowIsAnError) {
  ChartOptions phones;
  phones.phones = {9};
  const auto unknown = chart_of(kHeader + message(1000, 1, 0, 1), phones);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().detail.find("unknown phone 9 (the trace has 3 phones"),
            std::string::npos);
  ChartOptions late;
  late.from_us = 1'000'000;
  const auto empty = chart_of(kHeader + message(1000, 1, 0, 1), late);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().detail.find("empty window"), std::string::npos);
}

TEST(Chart, TheCounterexampleGivesLifelinesABSAndItsEventsInOrder) {
  std::ifstream in(std::string(SPMC_SOURCE_DIR) +
                   "/models/key_share/counterexamples/"
                   "key_substitution_paper_adversary_reads_nothing.txt");
  ASSERT_TRUE(in);
  const auto chart = read_chart(in, "cx.txt", {});
  ASSERT_TRUE(chart.ok()) << chart.error().detail;
  EXPECT_TRUE(chart->steps);
  ASSERT_EQ(chart->lifelines.size(), 3U);
  EXPECT_EQ(chart->lifelines[0].name, "A");
  EXPECT_EQ(chart->lifelines[1].name, "B");
  EXPECT_EQ(chart->lifelines[2].name, "S");
  std::vector<std::string> labels;
  for (const Arrow& a : chart->arrows) {
    labels.push_back(a.label);
  }
  EXPECT_EQ(labels, (std::vector<std::string>{"cert_issue(S,B,S)", "cert_issue(S,A,A)",
                                              "keyshare_send(A,B,1)", "msg_send(A,B,0)"}));
  EXPECT_TRUE(chart->arrows[0].tampered);   // B's certificate for the server's key
  EXPECT_EQ(chart->arrows[2].arrived, 5U);  // accepted by B at step 5
  ASSERT_EQ(chart->marks.size(), 2U);
  EXPECT_EQ(chart->marks[0].kind, MarkKind::kAdversary);
  EXPECT_EQ(chart->marks[0].at, 4U);
  ASSERT_EQ(chart->violations.size(), 1U);
  EXPECT_EQ(chart->violations[0].invariant, "adversary_reads_nothing");
}

TEST(Chart, AnAbstractTracePairsASendWithItsAcceptance) {
  const std::string text = R"({"t":100,"ev":"keyshare_send","a":"A","b":"B","x":1})"
                           "\n"
                           R"({"t":250,"ev":"keyshare_accept","a":"B","b":"A","x":1})"
                           "\n"
                           R"({"t":300,"ev":"msg_send","a":"A","b":"B","x":0})"
                           "\n"
                           R"({"t":310,"ev":"msg_drop","a":"net","b":"B","x":0})"
                           "\n";
  const auto chart = chart_of(text);
  ASSERT_TRUE(chart.ok()) << chart.error().detail;
  EXPECT_EQ(chart->kind, "abstract trace");
  ASSERT_EQ(chart->arrows.size(), 2U);
  EXPECT_EQ(chart->arrows[0].arrived, 250U);
  EXPECT_EQ(lane_named(*chart, "A"), chart->arrows[0].from);
  EXPECT_TRUE(chart->arrows[1].lost);
  const std::string mermaid = render_mermaid(*chart);
  EXPECT_NE(mermaid.find("participant L0 as A"), std::string::npos);
  EXPECT_NE(mermaid.find("L0-xL1: msg_send(A,B,0) - lost (msg_drop)"), std::string::npos)
      << mermaid;
}

TEST(Chart, MscgenNamesEveryLifelineAndEachArrow) {
  const auto chart = chart_of(kHeader + message(1000, 1, 0, 1));
  ASSERT_TRUE(chart.ok());
  const std::string msc = render_mscgen(*chart);
  EXPECT_NE(msc.find("L0 [label=\"server\"], L1 [label=\"phone 0\\nalice\"]"), std::string::npos)
      << msc;
  EXPECT_NE(msc.find("L1=>L0 [label=\"msg c=1\""), std::string::npos) << msc;
}

}  // namespace
}  // namespace spmc::sim
