//===- Baseline.cpp - comparing results with a previous log ---------------===//
#include "sarif/Baseline.h"

#include "sarif/Fingerprint.h"

#include <map>
#include <utility>

namespace sarif {
namespace {

using MatchKey = std::pair<std::string_view, std::string_view>;

std::optional<MatchKey> matchKey(const Result &R) {
  auto It = R.PartialFingerprints.find(std::string(PrimaryLocationLineHashKey));
  if (It == R.PartialFingerprints.end())
    return std::nullopt;
  return MatchKey(R.RuleId, It->second);
}

} // namespace

std::vector<Result> applyBaseline(std::vector<Result> &Current, std::vector<Result> Previous,
                                  const MessageKey &Key) {
  auto Text = [&Key](const Result &R) { return Key ? Key(R) : R.Message; };
  // Unmatched previous results by key, in log order.
  std::map<MatchKey, std::vector<std::size_t>> Unmatched;
  for (std::size_t I = 0; I < Previous.size(); ++I)
    if (auto Key = matchKey(Previous[I]))
      Unmatched[*Key].push_back(I);
  std::vector<bool> Matched(Previous.size(), false);

  auto take = [&](const MatchKey &Key, auto Accept) -> bool {
    auto It = Unmatched.find(Key);
    if (It == Unmatched.end())
      return false;
    for (auto Candidate = It->second.begin(); Candidate != It->second.end(); ++Candidate) {
      if (!Accept(Previous[*Candidate]))
        continue;
      Matched[*Candidate] = true;
      It->second.erase(Candidate);
      return true;
    }
    return false;
  };

  // Exact matches first, so an edited message cannot take the previous result that another,
  // unchanged current result would have matched.
  for (Result &R : Current) {
    R.Baseline = BaselineState::New;
    std::string Message = Text(R);
    if (auto Match = matchKey(R);
        Match && take(*Match, [&](const Result &Old) { return Text(Old) == Message; }))
      R.Baseline = BaselineState::Unchanged;
  }
  for (Result &R : Current) {
    if (R.Baseline != BaselineState::New)
      continue;
    if (auto Match = matchKey(R); Match && take(*Match, [](const Result &) { return true; }))
      R.Baseline = BaselineState::Updated;
  }

  std::vector<Result> Absent;
  for (std::size_t I = 0; I < Previous.size(); ++I) {
    if (Matched[I])
      continue;
    Previous[I].Baseline = BaselineState::Absent;
    Absent.push_back(std::move(Previous[I]));
  }
  return Absent;
}

} // namespace sarif
