#include "TestUtil.h"

#include "KubectlJson.h"

#include "saguard/model/Loader.h"
#include "saguard/render/DocumentSplitter.h"
#include "saguard/rules/RuleRegistry.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace saguard::test {

std::unique_ptr<analysis::Index> loadIndex(const std::string &Yaml,
                                           std::vector<ToolNotification> *Errors,
                                           model::ModelParts Keep) {
  model::LoadResult Loaded;
  model::LoadOptions Options;
  Options.Keep = Keep;
  render::DocumentSplitter Splitter(1, [&](DocumentText Doc) {
    model::loadDocument(Doc, Options, Loaded);
  });
  Splitter.feed(Yaml);
  Splitter.finish();
  if (Errors)
    Errors->insert(Errors->end(), Loaded.Errors.begin(), Loaded.Errors.end());
  else
    for (const ToolNotification &E : Loaded.Errors)
      ADD_FAILURE() << "fixture does not load: line " << E.Range.Begin.Line << ": " << E.Message;
  auto Idx = std::make_unique<analysis::Index>();
  for (model::Object &O : Loaded.Objects)
    Idx->add(std::move(O));
  Idx->finalize();
  return Idx;
}

namespace {

/// Everything a finding says, where included.
std::string described(const std::vector<analysis::Finding> &Findings) {
  std::string Out;
  auto Place = [](const SourceRange &R) {
    return std::to_string(R.File) + ":" + std::to_string(R.Begin.Line) + ":" +
           std::to_string(R.Begin.Column) + "-" + std::to_string(R.End.Line) + ":" +
           std::to_string(R.End.Column);
  };
  for (const analysis::Finding &F : Findings) {
    Out += F.RuleId + " " + std::string(analysis::levelName(F.Severity)) + " " +
           std::to_string(F.SecuritySeverity) + " " + Place(F.Primary) + " " + F.KeyPath + " " +
           F.Object.qualifiedName() + ": " + F.Message +
           (F.Suppressed ? " [suppressed: " + F.Suppressed->Justification + "]" : "") + "\n";
    for (const analysis::Note &N : F.Related)
      Out += "  related " + Place(N.Range) + " " + N.Message + "\n";
    for (const analysis::Note &N : F.Flow)
      Out += "  step " + Place(N.Range) + " " + N.Message + "\n";
    for (const analysis::Fix &X : F.Fixes)
      Out += "  fix " + Place(X.Range) + " " + X.Description + ": " + X.Replacement + "\n";
    for (const std::string &P : F.Permissions)
      Out += "  permission " + P + "\n";
  }
  return Out;
}

std::vector<analysis::Finding> runRuleOnce(const std::string &RuleId, const std::string &Yaml,
                                           const analysis::AnalysisOptions &Options) {
  const analysis::RuleInfo *Info = analysis::findRule(RuleId);
  if (!Info) {
    ADD_FAILURE() << "no rule " << RuleId;
    return {};
  }
  analysis::RuleSelection Only;
  Only.Enabled.insert(RuleId);
  std::unique_ptr<analysis::Index> Idx =
      loadIndex(Yaml, nullptr, analysis::partsRead(Only, analysis::allRules()));
  std::vector<analysis::Finding> Findings =
      analysis::analyze(*Idx, Options, Only, analysis::allRules());
  // The parts the rule declares must be all it reads: over every object it finds the same.
  std::unique_ptr<analysis::Index> Whole = loadIndex(Yaml);
  EXPECT_EQ(described(Findings),
            described(analysis::analyze(*Whole, Options, Only, analysis::allRules())))
      << RuleId << " reads a part of the model it does not declare in reads()";
  return Findings;
}

/// What a finding says, apart from where: a JSON twin has other lines.
using Said = std::tuple<std::string, analysis::Level, std::string, std::string, std::string>;

std::multiset<Said> said(const std::vector<analysis::Finding> &Findings) {
  std::multiset<Said> Out;
  for (const analysis::Finding &F : Findings)
    Out.insert({F.RuleId, F.Severity, F.Object.qualifiedName(), F.Message, F.KeyPath});
  return Out;
}

} // namespace

std::vector<analysis::Finding> runRule(const std::string &RuleId, const std::string &Yaml,
                                       analysis::AnalysisOptions Options) {
  std::vector<analysis::Finding> Findings = runRuleOnce(RuleId, Yaml, Options);
  // Every fixture also runs as `kubectl get -o json` would write it, and must say the same.
  if (std::optional<std::string> Json = kubectlJsonTwin(Yaml)) {
    SCOPED_TRACE("the kubectl JSON twin of the fixture:\n" + *Json);
    EXPECT_EQ(said(runRuleOnce(RuleId, *Json, Options)), said(Findings));
  }
  return Findings;
}

void expectAnnotatedFindings(const std::string &RuleId, const std::string &Yaml,
                             analysis::AnalysisOptions Options) {
  std::map<unsigned, int> Expected, Actual;
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  llvm::StringRef(Yaml).split(Lines, '\n');
  for (size_t I = 0; I < Lines.size(); ++I) {
    size_t Mark = Lines[I].find("# EXPECT:");
    if (Mark == llvm::StringRef::npos)
      continue;
    llvm::SmallVector<llvm::StringRef, 4> Ids;
    Lines[I].substr(Mark + 9).split(Ids, ' ', -1, false);
    for (llvm::StringRef Id : Ids)
      if (Id.trim() == RuleId)
        ++Expected[static_cast<unsigned>(I + 1)];
  }
  for (const analysis::Finding &F : runRule(RuleId, Yaml, Options)) {
    EXPECT_EQ(F.RuleId, RuleId);
    ++Actual[F.Primary.Begin.Line];
  }
  EXPECT_EQ(Expected, Actual) << "map of line -> number of " << RuleId << " findings";
}

} // namespace saguard::test
