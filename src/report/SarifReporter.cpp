//===- SarifReporter.cpp - findings as SARIF 2.1.0 for code scanning ------===//
#include "saguard/report/SarifReport.h"

#include "ReportImpl.h"

#include "sarif/Fingerprint.h"
#include "sarif/Limits.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Regex.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>
#include <span>

namespace saguard::report {
namespace {

using analysis::Finding;

constexpr std::string_view HelpUriBase = "https://github.com/saguard/saguard/blob/main/docs/rules/";
constexpr std::string_view InformationUri = "https://github.com/saguard/saguard";
/// The namespaced fingerprint, for SARIF consumers other than GitHub.
constexpr std::string_view FingerprintKey = "saguard/v2";
/// GitHub's limit for rule descriptions.
constexpr std::size_t MaxDescription = 1024;

sarif::Level toSarif(analysis::Level L) {
  switch (L) {
  case analysis::Level::Error:
    return sarif::Level::Error;
  case analysis::Level::Warning:
    return sarif::Level::Warning;
  case analysis::Level::Note:
    return sarif::Level::Note;
  }
  llvm_unreachable("covered switch");
}

// GitHub's security-severity scale (>= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, below 4.0
// low), written with one decimal as GitHub's examples do.
std::string securitySeverity(double Score) {
  char Text[8];
  std::snprintf(Text, sizeof Text, "%.1f", Score);
  return Text;
}

// Tags from the rule's kebab-case name, so the rule table stays the only list of rules.
std::vector<std::string> tagsFor(llvm::StringRef Name) {
  std::vector<std::string> Tags = {"security", "kubernetes"};
  if (Name.contains("rbac") || Name.contains("binding") || Name.contains("access") ||
      Name.contains("cluster-admin"))
    Tags.push_back("rbac");
  if (Name.contains("sa-") || Name.contains("service-account") || Name.contains("token") ||
      Name.contains("automount"))
    Tags.push_back("serviceaccount");
  if (Name.contains("secret"))
    Tags.push_back("secrets");
  return Tags;
}

// Cuts Text to at most Max bytes at a word boundary, marking the cut.
std::string truncated(std::string Text, std::size_t Max) {
  if (Text.size() <= Max)
    return Text;
  constexpr std::string_view Ellipsis = "...";
  std::size_t Cut = Text.rfind(' ', Max - Ellipsis.size());
  if (Cut == std::string::npos || Cut == 0)
    Cut = Max - Ellipsis.size();
  // Never cut inside a UTF-8 sequence.
  while (Cut > 0 && (static_cast<unsigned char>(Text[Cut]) & 0xC0) == 0x80)
    --Cut;
  Text.resize(Cut);
  return Text + std::string(Ellipsis);
}

// Inline markdown as text: `code` and **bold** lose their marks, [text](url) becomes
// "text (url)", or "text" when KeepUrls is false.
std::string stripInline(llvm::StringRef Line, bool KeepUrls) {
  std::string Out;
  for (std::size_t I = 0; I < Line.size(); ++I) {
    char C = Line[I];
    if (C == '`')
      continue;
    if (C == '*' && I + 1 < Line.size() && Line[I + 1] == '*') {
      ++I;
      continue;
    }
    if (C == '[') {
      std::size_t Close = Line.find(']', I + 1);
      if (Close != llvm::StringRef::npos && Close + 1 < Line.size() && Line[Close + 1] == '(') {
        std::size_t End = Line.find(')', Close + 2);
        if (End != llvm::StringRef::npos) {
          Out += stripInline(Line.slice(I + 1, Close), KeepUrls);
          if (KeepUrls)
            Out += " (" + Line.slice(Close + 2, End).str() + ")";
          I = End;
          continue;
        }
      }
    }
    Out += C;
  }
  return Out;
}

bool isFence(llvm::StringRef Line) {
  Line = Line.ltrim();
  return Line.startswith("```") || Line.startswith("~~~");
}

sarif::Region regionOf(const detail::Place &P) {
  sarif::Region R;
  // A place known only by its file (a target's Chart.yaml) points at its first line.
  R.StartLine = P.start().Line;
  R.StartColumn = P.Begin.Column;
  // An end before or at the start is no range; leave it out rather than write an empty region.
  if (P.End.isValid() && P.End > P.Begin) {
    R.EndLine = P.End.Line;
    R.EndColumn = P.End.Column;
  }
  return R;
}

sarif::Location locationOf(const detail::Place &P, std::string Message = "", int Id = -1) {
  sarif::Location L;
  if (P.hasFile()) {
    L.Physical.Uri = P.File;
    L.Physical.Reg = regionOf(P);
  }
  L.Message = std::move(Message);
  L.Id = Id;
  return L;
}

// GitHub shows related locations only as links in the message: "... (see [text](1), ...)".
std::string messageWithLinks(const Finding &F, const std::vector<const analysis::Note *> &Related,
                             detail::Places &Ps) {
  // GitHub rejects results without a message.
  std::string Text = sarif::escapeMessageText(!F.Message.empty()    ? F.Message
                                              : !F.RuleName.empty() ? F.RuleName
                                                                    : F.RuleId);
  if (Related.empty())
    return Text;
  Text += " (see ";
  for (std::size_t I = 0; I < Related.size(); ++I) {
    const analysis::Note &N = *Related[I];
    std::string Label = N.Message.empty() ? Ps.at(N.Range, F.Target).str(false) : N.Message;
    if (Label.empty())
      Label = "related location " + std::to_string(I + 1);
    Text += (I ? ", [" : "[") + sarif::escapeMessageText(detail::oneLine(Label)) + "](" +
            std::to_string(I + 1) + ")";
  }
  return Text + ")";
}

sarif::Location primaryLocation(const Finding &F, detail::Places &Ps) {
  sarif::Location Primary =
      locationOf(Ps.at(Ps.rendered(F.Primary.File) ? SourceRange() : F.Primary, F.Target));
  if (!F.Object.Kind.empty() || !F.Object.Name.empty()) {
    Primary.LogicalFullyQualifiedName = F.Object.qualifiedName();
    Primary.LogicalKind = "resource";
  }
  return Primary;
}

sarif::Result resultOf(const Finding &F, const std::string &Key, detail::Places &Ps) {
  sarif::Result R;
  R.RuleId = F.RuleId;
  R.Lvl = toSarif(F.Severity);
  // A rendered stream is no file: its positions stay in JSON output, and SARIF links only to
  // files a viewer can open.
  std::vector<const analysis::Note *> Related;
  for (const analysis::Note &N : F.Related)
    if (!Ps.rendered(N.Range.File))
      Related.push_back(&N);
  R.Message = messageWithLinks(F, Related, Ps);

  R.Locations.push_back(primaryLocation(F, Ps));

  for (std::size_t I = 0; I < Related.size(); ++I)
    R.RelatedLocations.push_back(locationOf(Ps.at(Related[I]->Range, F.Target),
                                            Related[I]->Message, static_cast<int>(I + 1)));

  // One code flow per grant path, so a viewer shows each way the token gets its power.
  for (std::span<const analysis::Note> Path : analysis::flowPaths(F)) {
    sarif::ThreadFlow Flow;
    for (const analysis::Note &Step : Path)
      Flow.push_back(locationOf(Ps.rendered(Step.Range.File) ? detail::Place()
                                                               : Ps.at(Step.Range, F.Target),
                                Step.Message));
    R.CodeFlows.push_back(std::move(Flow));
  }

  for (const analysis::Fix &Fx : F.Fixes) {
    // A fix must name the file it edits, and be an exact edit of it (fix::resolveFixes).
    if (Fx.Range.File == 0 || Fx.Kind != analysis::FixKind::Replace)
      continue;
    detail::Place Where = Ps.at(Fx.Range, F.Target);
    sarif::Fix Out;
    Out.Description = Fx.Description;
    Out.Deleted.Uri = Where.File;
    Out.Deleted.Reg.StartLine = Where.start().Line;
    Out.Deleted.Reg.StartColumn = Where.start().Column;
    // An empty range (or none) is an insertion at Begin: the region ends where it starts.
    SourcePos End = Where.End.isValid() && Where.End > Where.Begin ? Where.End : Where.Begin;
    Out.Deleted.Reg.EndLine = End.Line ? End.Line : Out.Deleted.Reg.StartLine;
    Out.Deleted.Reg.EndColumn = End.Column ? End.Column : Out.Deleted.Reg.StartColumn;
    Out.InsertedText = Fx.Replacement;
    R.Fixes.push_back(std::move(Out));
  }

  if (F.Suppressed)
    R.Suppressions.push_back({sarif::SuppressionKind::InSource, F.Suppressed->Justification});

  R.PartialFingerprints[std::string(sarif::PrimaryLocationLineHashKey)] =
      sarif::primaryLocationLineHash(Key);
  R.PartialFingerprints[std::string(FingerprintKey)] = sarif::stableHash(Key);

  nlohmann::json Properties = nlohmann::json::object();
  if (!F.Object.Kind.empty())
    Properties["kubernetes"] = {{"apiVersion", F.Object.ApiVersion},
                                {"kind", F.Object.Kind},
                                {"namespace", F.Object.Namespace},
                                {"name", F.Object.Name}};
  if (!F.KeyPath.empty())
    Properties["keyPath"] = F.KeyPath;
  if (!F.Permissions.empty())
    Properties["permissions"] = F.Permissions;
  // Per result, so GitHub ranks cluster-admin above a default-account mount of the same rule.
  if (F.SecuritySeverity > 0)
    Properties["security-severity"] = securitySeverity(F.SecuritySeverity);
  if (!F.Target.empty())
    Properties["target"] = Ps.target(F.Target);
  if (!Properties.empty())
    R.Properties = std::move(Properties);
  return R;
}

bool isSemVer(llvm::StringRef Version) {
  static const llvm::Regex SemVer("^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)"
                                  "(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$");
  return SemVer.match(Version);
}

} // namespace

std::string ruleHelpUri(std::string_view RuleId) {
  return std::string(HelpUriBase) + std::string(RuleId) + ".md";
}

std::string whatParagraph(std::string_view HelpMarkdown) {
  llvm::StringRef Rest(HelpMarkdown.data(), HelpMarkdown.size());
  bool InWhat = false;
  std::string Paragraph;
  while (!Rest.empty()) {
    auto [Line, Tail] = Rest.split('\n');
    Rest = Tail;
    Line = Line.rtrim("\r");
    llvm::StringRef Trimmed = Line.trim();
    if (!InWhat) {
      InWhat = Trimmed.startswith("## ") && Trimmed.drop_front(3).trim().equals_insensitive("what");
      continue;
    }
    if (Trimmed.empty()) {
      if (Paragraph.empty())
        continue;
      break;
    }
    if (Trimmed.startswith("#") || isFence(Trimmed))
      break;
    if (!Paragraph.empty())
      Paragraph += ' ';
    Paragraph += stripInline(Trimmed, /*KeepUrls=*/false);
  }
  return Paragraph;
}

std::string markdownToText(std::string_view Markdown) {
  llvm::StringRef Rest(Markdown.data(), Markdown.size());
  std::string Out;
  bool InCode = false;
  while (!Rest.empty()) {
    auto [Line, Tail] = Rest.split('\n');
    Rest = Tail;
    Line = Line.rtrim("\r");
    if (isFence(Line)) {
      InCode = !InCode;
      continue;
    }
    if (InCode) {
      Out += "    " + Line.str() + "\n";
      continue;
    }
    llvm::StringRef Text = Line;
    if (Text.startswith("#"))
      Text = Text.ltrim('#').ltrim();
    Out += stripInline(Text, /*KeepUrls=*/true) + "\n";
  }
  return Out;
}

sarif::ReportingDescriptor ruleDescriptor(const analysis::RuleInfo &Rule) {
  sarif::ReportingDescriptor D;
  D.Id = std::string(Rule.Id);
  D.Name = std::string(Rule.Name);
  D.ShortDescription = truncated(std::string(Rule.Summary), MaxDescription);
  D.FullDescription = truncated(whatParagraph(Rule.Help), MaxDescription);
  if (!Rule.Help.empty()) {
    D.HelpText = markdownToText(Rule.Help);
    D.HelpMarkdown = std::string(Rule.Help);
  }
  D.HelpUri = ruleHelpUri(Rule.Id);
  D.DefaultLevel = toSarif(Rule.DefaultLevel);
  D.Tags = tagsFor(llvm::StringRef(Rule.Name.data(), Rule.Name.size()));
  D.Precision = "high";
  D.SecuritySeverity = securitySeverity(Rule.SecuritySeverity > 0
                                           ? Rule.SecuritySeverity
                                           : analysis::levelSecuritySeverity(Rule.DefaultLevel));
  return D;
}

namespace {

/// A run before its results: its head, and what its results are made of, in order: findings
/// (indices into the run's findings), then the first AbsentKept absent results of the baseline.
struct RunPlan {
  sarif::Run Head;
  std::vector<std::size_t> Findings;
  std::size_t AbsentKept = 0;
  /// uniqueSemanticKeys of the run's findings.
  std::vector<std::string> Keys;
  std::size_t size() const { return Findings.size() + AbsentKept; }
};

/// Plans the run of Data whose findings are Findings (Data's own, or a slice of them).
RunPlan planRun(const ReportData &Data, std::span<const Finding> Findings,
                const ReporterOptions &Options, detail::Places &Ps) {
  RunPlan Plan;
  sarif::Run &Run = Plan.Head;
  Run.ToolName = "saguard";
  Run.ToolVersion = Data.ToolVersion;
  if (isSemVer(Data.ToolVersion))
    Run.SemanticVersion = Data.ToolVersion;
  Run.InformationUri = std::string(InformationUri);
  Run.AutomationId = Data.AutomationId;
  Run.SrcRoot = Ps.root();

  std::set<std::string, std::less<>> Known;
  for (const analysis::RuleInfo &Rule : Data.Rules)
    if (Known.insert(std::string(Rule.Id)).second)
      Run.Rules.push_back(ruleDescriptor(Rule));
  // A finding of a rule the table lacks still needs a descriptor (GitHub checks ruleId against
  // the rules); appended, so the table's indices stay as they are.
  for (const Finding &F : Findings) {
    if (!Known.insert(F.RuleId).second)
      continue;
    sarif::ReportingDescriptor D;
    D.Id = F.RuleId;
    D.Name = F.RuleName;
    D.HelpUri = ruleHelpUri(F.RuleId);
    D.DefaultLevel = toSarif(F.Severity);
    D.Tags = tagsFor(F.RuleName);
    D.Precision = "high";
    D.SecuritySeverity = securitySeverity(analysis::levelSecuritySeverity(F.Severity));
    Run.Rules.push_back(std::move(D));
  }

  Plan.Keys = detail::uniqueSemanticKeys(Data, Findings);
  std::vector<std::size_t> &Kept = Plan.Findings;
  for (std::size_t I = 0; I < Findings.size(); ++I)
    if (!(Options.SarifOmitSuppressed && Findings[I].Suppressed))
      Kept.push_back(I);
  if (Kept.size() > Options.MaxSarifResults) {
    // The most severe are kept, stably; suppressed ones go last so that among equals those
    // that count are kept.
    std::stable_partition(Kept.begin(), Kept.end(),
                          [&](std::size_t I) { return !Findings[I].Suppressed; });
    std::vector<sarif::Level> Levels;
    for (std::size_t I : Kept)
      Levels.push_back(toSarif(Findings[I].Severity));
    std::vector<std::size_t> Severest;
    for (std::size_t J : sarif::mostSevereResults(Levels, Options.MaxSarifResults))
      Severest.push_back(Kept[J]);
    Run.Notifications.push_back(
        sarif::truncationNotice(Kept.size() - Severest.size(), Options.MaxSarifResults));
    Kept = std::move(Severest);
  }
  // Results of the baseline that are gone. GitHub ignores baselineState and would open them as
  // alerts, so the upload mode that leaves out suppressed results leaves them out as well.
  if (!Options.SarifOmitSuppressed && !Data.Absent.empty()) {
    std::size_t Room =
        Options.MaxSarifResults > Kept.size() ? Options.MaxSarifResults - Kept.size() : 0;
    Plan.AbsentKept = std::min(Room, Data.Absent.size());
    for (std::size_t I = 0; I < Plan.AbsentKept; ++I)
      if (Known.insert(Data.Absent[I].RuleId).second) {
        sarif::ReportingDescriptor D;
        D.Id = Data.Absent[I].RuleId;
        D.HelpUri = ruleHelpUri(D.Id);
        Run.Rules.push_back(std::move(D));
      }
    if (Plan.AbsentKept < Data.Absent.size())
      Run.Notifications.push_back(
          {std::to_string(Data.Absent.size() - Plan.AbsentKept) +
               " absent results of the baseline left out: a run holds at most " +
               std::to_string(Options.MaxSarifResults) + " results",
           sarif::Level::Warning, std::nullopt});
  }

  for (const ToolNotification &E : Data.Errors) {
    sarif::Notification N;
    N.Lvl = sarif::Level::Error;
    N.Message = llvm::StringRef(E.Message).rtrim().str();
    if (Ps.rendered(E.Range.File))
      N.Message = Ps.target(E.Target) + ": line " + std::to_string(E.Range.Begin.Line) + " of " +
                  Ps.path(E.Range.File) + ": " + N.Message;
    else if (E.Range.File != 0)
      N.Loc = locationOf(Ps.at(E.Range, E.Target));
    else if (!E.Target.empty())
      N.Message = Ps.target(E.Target) + ": " + N.Message;
    if (N.Message.empty())
      N.Message = "unknown error";
    Run.Notifications.push_back(std::move(N));
  }
  if (!Data.ClusterAutomountDefault)
    Run.Notifications.push_back(
        {std::string(detail::AutomountAssumption), sarif::Level::Note, std::nullopt});
  Run.ExecutionSuccessful = Data.Errors.empty();
  if (!Data.TargetList.empty()) {
    nlohmann::json Targets = nlohmann::json::array();
    for (const TargetSummary &T : Data.TargetList)
      Targets.push_back({{"path", Ps.target(T.Path)},
                         {"kind", T.Kind},
                         {"renderedBy", T.RenderedBy},
                         {"objects", T.Objects}});
    Run.InvocationProperties = {{"targets", std::move(Targets)}};
  }
  return Plan;
}

/// Result Entry of Plan, made when it is needed.
sarif::Result plannedResult(const ReportData &Data, std::span<const Finding> Findings,
                            std::span<const sarif::BaselineState> Baseline, const RunPlan &Plan,
                            std::size_t Entry, detail::Places &Ps) {
  if (Entry >= Plan.Findings.size()) {
    sarif::Result R = Data.Absent[Entry - Plan.Findings.size()];
    R.Baseline = sarif::BaselineState::Absent;
    return R;
  }
  std::size_t I = Plan.Findings[Entry];
  sarif::Result R = resultOf(Findings[I], Plan.Keys[I], Ps);
  if (I < Baseline.size())
    R.Baseline = Baseline[I];
  return R;
}

/// Writes one SARIF run per analysed set, each result made as it is written, so a report never
/// holds all its results (or a copy of its findings) at once.
class SarifReporter : public Reporter {
public:
  explicit SarifReporter(const ReporterOptions &Options) : Options(Options) {}

  void write(const ReportData &Data, llvm::raw_ostream &OS) override {
    // One part per run: the slice's own data without its findings, which stay in Data.
    struct Part {
      ReportData Own;
      const ReportData *Of = nullptr;
      std::span<const Finding> Findings;
      std::span<const sarif::BaselineState> Baseline;
      std::unique_ptr<detail::Places> Ps;
      RunPlan Plan;
    };
    std::vector<Part> Parts(Data.Runs.empty() ? 1 : Data.Runs.size());
    for (std::size_t I = 0; I < Parts.size(); ++I) {
      Part &P = Parts[I];
      if (Data.Runs.empty()) {
        P.Of = &Data;
        P.Findings = Data.Findings;
        P.Baseline = Data.Baseline;
      } else {
        const RunSlice &Slice = Data.Runs[I];
        P.Own = sliceOf(Data, Slice, /*WithFindings=*/false);
        P.Of = &P.Own;
        P.Findings = std::span<const Finding>(Data.Findings)
                         .subspan(Slice.FindingsBegin, Slice.FindingsEnd - Slice.FindingsBegin);
        if (Data.Baseline.size() >= Slice.FindingsEnd)
          P.Baseline = std::span<const sarif::BaselineState>(Data.Baseline)
                           .subspan(Slice.FindingsBegin, Slice.FindingsEnd - Slice.FindingsBegin);
      }
    }
    std::vector<sarif::Run> Heads;
    for (Part &P : Parts) {
      P.Ps = std::make_unique<detail::Places>(*P.Of);
      P.Plan = planRun(*P.Of, P.Findings, Options, *P.Ps);
      sarif::Run Head = P.Plan.Head;
      // The head lists the results left out for want of a place before any result is written.
      for (std::size_t E = 0; E < P.Plan.size(); ++E) {
        sarif::Result Probe;
        if (E < P.Plan.Findings.size()) {
          Probe.RuleId = P.Findings[P.Plan.Findings[E]].RuleId;
          Probe.Locations.push_back(primaryLocation(P.Findings[P.Plan.Findings[E]], *P.Ps));
        } else {
          Probe = P.Of->Absent[E - P.Plan.Findings.size()];
        }
        if (!sarif::hasPrimaryLocation(Probe))
          Head.Notifications.push_back(sarif::missingLocationNotice(Probe));
      }
      Heads.push_back(std::move(Head));
    }
    sarif::writeLog(
        Heads,
        [&](std::size_t I, const std::function<void(const sarif::Result &)> &Each) {
          Part &P = Parts[I];
          for (std::size_t E = 0; E < P.Plan.size(); ++E)
            Each(plannedResult(*P.Of, P.Findings, P.Baseline, P.Plan, E, *P.Ps));
        },
        [&OS](std::string_view Piece) { OS << llvm::StringRef(Piece.data(), Piece.size()); });
  }

private:
  ReporterOptions Options;
};

} // namespace

sarif::Run buildSarifRun(const ReportData &Data, const ReporterOptions &Options) {
  detail::Places Ps(Data);
  RunPlan Plan = planRun(Data, Data.Findings, Options, Ps);
  sarif::Run Run = std::move(Plan.Head);
  for (std::size_t E = 0; E < Plan.size(); ++E)
    Run.Results.push_back(plannedResult(Data, Data.Findings, Data.Baseline, Plan, E, Ps));
  return Run;
}

namespace detail {
std::unique_ptr<Reporter> createSarifReporter(const ReporterOptions &Options) {
  return std::make_unique<SarifReporter>(Options);
}
} // namespace detail

} // namespace saguard::report
