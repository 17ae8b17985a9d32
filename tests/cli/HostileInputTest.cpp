// Hostile input, end to end: each hostile document sits between two good Pods, whose findings
// must survive; the run exits 2 with a located error, or analyses a valid document, and never
// crashes, hangs (the ctest time limit) or forges output.
#include "RunSaguard.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include <sys/resource.h>

using namespace saguard::test;
using nlohmann::json;

// Peak-memory bounds are checked without AddressSanitizer only.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SAGUARD_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SAGUARD_ASAN 1
#endif
#ifndef SAGUARD_ASAN
#define SAGUARD_ASAN 0
#endif

namespace {

std::string pod(const std::string &Name) {
  return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + Name +
         "}\nspec:\n  containers: [{name: c, image: nginx}]\n";
}

/// The hostile document starts on this line of the stream betweenGoodPods makes.
constexpr int HostileLine = 7;

std::string betweenGoodPods(const std::string &Hostile) {
  return pod("good-a") + "---\n" + Hostile + "\n---\n" + pod("good-b");
}

struct Scan {
  int Exit = -1;
  json Report;
};

Scan scanJson(const std::string &Stream, const std::string &Name) {
  Scratch S("hostile-" + Name);
  std::string File = S / (Name + ".yaml");
  writeFile(File, Stream);
  SaguardRun Run = runSaguard({"scan", File, "--format", "json"});
  Scan Out{Run.Exit, json::parse(Run.Out, nullptr, /*allow_exceptions=*/false)};
  EXPECT_FALSE(Out.Report.is_discarded()) << Run.Err;
  return Out;
}

std::set<std::string> objectsWithFindings(const json &Report) {
  std::set<std::string> Names;
  for (const json &F : Report.at("findings"))
    Names.insert(F.at("object").at("name").get<std::string>());
  return Names;
}

/// Scans Hostile between two good Pods: exit 2, one error at Line that says Message, and both
/// Pods' findings.
void expectLocatedError(const std::string &Hostile, int Line, const std::string &Message,
                        const std::string &Name) {
  Scan R = scanJson(betweenGoodPods(Hostile), Name);
  ASSERT_FALSE(R.Report.is_discarded());
  EXPECT_EQ(R.Exit, 2);
  ASSERT_EQ(R.Report.at("errors").size(), 1u) << R.Report.dump();
  const json &E = R.Report["errors"][0];
  EXPECT_EQ(E.at("line").get<int>(), Line) << E.dump();
  EXPECT_NE(E.at("message").get<std::string>().find(Message), std::string::npos) << E.dump();
  EXPECT_NE(E.at("file").get<std::string>().find(Name + ".yaml"), std::string::npos);
  std::set<std::string> Names = objectsWithFindings(R.Report);
  EXPECT_TRUE(Names.count("good-a") && Names.count("good-b")) << R.Report.dump();
}

/// Scans Valid between two good Pods: a valid document, so exit 1 for the Pods' findings only.
void expectAnalysed(const std::string &Valid, const std::string &Name) {
  Scan R = scanJson(betweenGoodPods(Valid), Name);
  ASSERT_FALSE(R.Report.is_discarded());
  EXPECT_EQ(R.Exit, 1);
  EXPECT_TRUE(R.Report.at("errors").empty()) << R.Report.at("errors").dump();
  EXPECT_EQ(objectsWithFindings(R.Report), (std::set<std::string>{"good-a", "good-b"}));
}

const std::string ConfigMapHead = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n";
// A custom resource, for aliases: it is parsed and its aliases resolved, where a built-in kind
// no rule reads (a ConfigMap) gets only the byte checks and is never parsed.
const std::string CustomHead =
    "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: cm}\n";

} // namespace

TEST(Hostile, NestedMergeKeysAreRejectedWithoutExpandingThem) {
  // 8^10 copies for a reader that copies aliases, as Kubernetes' does.
  std::string Doc = CustomHead + "m1: &m1 {a: 1}\n";
  for (int K = 2; K <= 11; ++K) {
    Doc += "m" + std::to_string(K) + ": &m" + std::to_string(K) + " {<<: [";
    for (int I = 0; I < 8; ++I)
      Doc += (I ? ", *m" : "*m") + std::to_string(K - 1);
    Doc += "]}\n";
  }
  Doc += "data:\n  <<: *m11\n";
  expectLocatedError(Doc, HostileLine, "alias bomb", "merge-bomb");
}

TEST(Hostile, ManyAliasesOfASmallNodeAreLinearAndValid) {
  std::string Doc = CustomHead + "small: &small x\ndata:\n";
  for (int I = 0; I < 100'000; ++I)
    Doc += "  r" + std::to_string(I) + ": *small\n";
  expectAnalysed(Doc, "many-aliases");
}

TEST(Hostile, LargeDocumentWithOneAnchorIsNoAliasBomb) {
  std::string Doc =
      "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: &n big}\ndata:\n";
  for (int I = 0; I < 90'000; ++I)
    Doc += "  k" + std::to_string(I) + ": v\n";
  expectAnalysed(Doc, "one-anchor");
}

TEST(Hostile, ColonScalarsInAFlowListOpenedOnAnEarlierLine) {
  expectLocatedError(ConfigMapHead + "data: {a: [\n  :x, :y\n", HostileLine + 5, "invalid document",
                     "colon-flow");
}

TEST(Hostile, DashesAfterOrBeforeTabsCountAsNesting) {
  std::string DashTab = ConfigMapHead + "x:\n";
  std::string TabDash = ConfigMapHead + "x:";
  for (int I = 0; I < 50'000; ++I) {
    DashTab += "-\t";
    TabDash += "\t-";
  }
  expectLocatedError(DashTab + "a", HostileLine + 4, "nesting deeper", "dash-tab");
  expectLocatedError(TabDash, HostileLine + 3, "nesting deeper", "tab-dash");
}

TEST(Hostile, QuoteInsideAPlainFlowScalarHidesNoBrackets) {
  expectLocatedError(ConfigMapHead + "x: [b \"c, " + std::string(100'000, '['), HostileLine + 3,
                     "nesting deeper", "quote-in-plain");
}

TEST(Hostile, LinesEndingInALoneCarriageReturn) {
  // Both Pods of a CR-only stream are analysed.
  std::string Stream = betweenGoodPods(ConfigMapHead);
  std::replace(Stream.begin(), Stream.end(), '\n', '\r');
  Scan R = scanJson(Stream, "cr-only");
  EXPECT_EQ(R.Exit, 1);
  EXPECT_TRUE(R.Report.at("errors").empty()) << R.Report.dump();
  EXPECT_EQ(objectsWithFindings(R.Report), (std::set<std::string>{"good-a", "good-b"}));

  std::string Deep = "apiVersion: v1\r";
  for (int I = 0; I < 1500; ++I)
    Deep += std::string(I, ' ') + "k:\r";
  expectLocatedError(Deep, HostileLine + 1002, "nesting deeper", "cr-deep");
}

TEST(Hostile, WhatStrictDecodingRejects) {
  expectLocatedError("{apiVersion: v1, kind: ConfigMap, metadata: {name: x}} {x: 1}", HostileLine,
                     "second root", "second-root");
  expectLocatedError("apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nspec:\n"
                     "  automountServiceAccountToken: false\n"
                     "  automountServiceAccountToken: true\n  containers: []",
                     HostileLine + 5, "duplicate key 'automountServiceAccountToken'", "dup-key");
  expectLocatedError(ConfigMapHead + "data: {a: \"x" + std::string(1, '\0') + "y\"}",
                     HostileLine + 3, "U+0000", "nul");
  expectLocatedError("apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec:\n  containers: \"x\"",
                     HostileLine + 4, "expected a list", "containers-string");
}

TEST(Hostile, BadListItemLosesOnlyItself) {
  auto Item = [](const std::string &Name) {
    std::string Indented = "  " + pod(Name);
    for (size_t I = Indented.find('\n'); I + 1 < Indented.size(); I = Indented.find('\n', I + 1))
      Indented.insert(I + 1, "  ");
    Indented[0] = '-';
    return Indented;
  };
  std::string List = "apiVersion: v1\nkind: List\nitems:\n" + Item("item-a") +
                     "- apiVersion: v1\n  kind: Pod\n  metadata: {name: bad}\n  spec: 5\n" +
                     Item("item-b");
  Scan R = scanJson(betweenGoodPods(List), "list-item");
  EXPECT_EQ(R.Exit, 2);
  ASSERT_EQ(R.Report.at("errors").size(), 1u) << R.Report.dump();
  EXPECT_EQ(R.Report["errors"][0].at("line").get<int>(), HostileLine + 11);
  EXPECT_EQ(objectsWithFindings(R.Report),
            (std::set<std::string>{"good-a", "item-a", "item-b", "good-b"}));
}

TEST(Hostile, LongListIsStreamedItemByItem) {
  // 100,000 small ConfigMaps (8 MB) in one List, then one Pod: each item is checked and mapped
  // on its own, never as one tree of every item.
  std::string List = "apiVersion: v1\nkind: List\nitems:\n";
  for (int I = 0; I < 100'000; ++I)
    List += "- {apiVersion: v1, kind: ConfigMap, metadata: {name: cm" + std::to_string(I) +
            "}, data: {k: v}}\n";
  List += "- {apiVersion: v1, kind: Pod, metadata: {name: last}, spec: {containers: []}}\n";
  Scratch S("hostile-long-list");
  writeFile(S / "list.yaml", List);
  SaguardRun Run = runSaguard({"scan", S / "list.yaml", "--format", "json"});
  EXPECT_EQ(Run.Exit, 1) << Run.Err;
  json Report = json::parse(Run.Out, nullptr, false);
  ASSERT_FALSE(Report.is_discarded());
  EXPECT_EQ(objectsWithFindings(Report), std::set<std::string>{"last"});
#if !SAGUARD_ASAN // the sanitizer's own memory would dominate the bound
  // The List's text (kept by the splitter, and once more without its items) and one item's
  // nodes: a few times its size, where parsing it whole took 57 times.
  struct rusage Usage;
  ASSERT_EQ(getrusage(RUSAGE_CHILDREN, &Usage), 0);
  long PeakBytes = Usage.ru_maxrss * 1024L;
  EXPECT_LT(PeakBytes, 8L * static_cast<long>(List.size()))
      << "peak RSS " << PeakBytes << " for a List of " << List.size() << " bytes";
#endif
}

TEST(Hostile, ObjectNamesCannotForgeOutput) {
  std::string Evil = "apiVersion: v1\nkind: Pod\nmetadata: {name: \"evil\\e[31mRED\\r\\n"
                     "::error file=x.yaml,line=1::forged\\u0085x\"}\n"
                     "spec:\n  containers: []\n";
  Scratch S("hostile-names");
  writeFile(S / "evil.yaml", betweenGoodPods(Evil));
  for (const char *Format : {"text", "gcc", "github"}) {
    SaguardRun Run = runSaguard({"scan", S / "evil.yaml", "--format", Format});
    EXPECT_EQ(Run.Exit, 1) << Format << ": " << Run.Err;
    EXPECT_EQ(Run.Out.find('\x1b'), std::string::npos) << Format;
    EXPECT_EQ(Run.Out.find('\r'), std::string::npos) << Format;
    EXPECT_EQ(Run.Out.find("\xC2\x85"), std::string::npos) << Format;
    std::istringstream Lines(Run.Out);
    int Annotations = 0;
    for (std::string Line; std::getline(Lines, Line);) {
      std::string Trimmed = Line.substr(std::min(Line.find_first_not_of(" \t"), Line.size()));
      if (Trimmed.rfind("::", 0) == 0) {
        ++Annotations;
        // Only saguard's own annotations, one per finding, each at its own Pod.
        EXPECT_EQ(std::string(Format), "github") << Line;
        EXPECT_EQ(Line.find("::error file=x.yaml"), std::string::npos) << Line;
      }
    }
    EXPECT_EQ(Annotations, std::string(Format) == "github" ? 3 : 0) << Run.Out;
    EXPECT_NE(Run.Out.find("evil\\x1b[31mRED"), std::string::npos) << Format << ": " << Run.Out;
  }
}

TEST(Hostile, ObjectNamesCannotForgePermissionsOutput) {
  Scratch S("hostile-permissions");
  writeFile(S / "evil.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: \"evil\\e[31m\\r\\n::error x::forged\"}\n"
            "spec:\n  serviceAccountName: \"sa\\n::warning y::forged\"\n  containers: []\n");
  for (const char *Format : {"text", "dot", "mermaid"}) {
    SaguardRun Run = runSaguard({"permissions", S / "evil.yaml", "--format", Format});
    EXPECT_EQ(Run.Exit, 0) << Format << ": " << Run.Err;
    EXPECT_NE(Run.Out.find("evil"), std::string::npos) << Format;
    EXPECT_EQ(Run.Out.find_first_of("\x1b\r"), std::string::npos) << Format;
    std::istringstream Lines(Run.Out);
    for (std::string Line; std::getline(Lines, Line);)
      EXPECT_NE(Line.substr(std::min(Line.find_first_not_of(" \t"), Line.size())).rfind("::", 0),
                0u)
          << Format << ": " << Line;
  }
}

TEST(Hostile, OutputThatNamesAnInputIsRefusedBeforeWriting) {
  Scratch S("hostile-output");
  std::string App = S / "app.yaml";
  writeFile(App, pod("web"));
  std::filesystem::create_directories(S.Dir / "sub");
  std::filesystem::create_symlink(App, S / "link.yaml");
  writeFile(S / ".saguard.yaml", "disable: [SA010]\n");
  for (const std::string &Output : {App, S / "sub/../app.yaml", S / "link.yaml"}) {
    SaguardRun Run = runSaguard({"scan", App, "-o", Output});
    EXPECT_EQ(Run.Exit, 2) << Output;
    EXPECT_NE(Run.Err.find("is an input"), std::string::npos) << Run.Err;
    EXPECT_EQ(readFile(App), pod("web")) << Output;
  }
  // A manifest the walk of a scanned folder reads, the config file, the baseline.
  EXPECT_EQ(runSaguard({"scan", S.Dir.string(), "-o", App}).Exit, 2);
  EXPECT_EQ(readFile(App), pod("web"));
  EXPECT_EQ(runSaguard({"scan", App, "-o", S / ".saguard.yaml"}).Exit, 2);
  EXPECT_EQ(readFile(S / ".saguard.yaml"), "disable: [SA010]\n");
  writeFile(S / "base.sarif", "{}");
  EXPECT_EQ(runSaguard({"scan", App, "--baseline", S / "base.sarif", "-o", S / "base.sarif"}).Exit,
            2);
  EXPECT_EQ(readFile(S / "base.sarif"), "{}");
  // A manifest given as the config or the baseline is refused as one, and left alone.
  for (const char *Flag : {"--config", "--baseline"}) {
    SaguardRun Run = runSaguard({"scan", App, Flag, App});
    EXPECT_EQ(Run.Exit, 2) << Flag;
    EXPECT_NE(Run.Err.find("app.yaml"), std::string::npos) << Run.Err;
  }
  EXPECT_EQ(readFile(App), pod("web"));
}

TEST(Hostile, ReportsAreReplacedWholeWithNoTemporaryLeft) {
  Scratch S("hostile-atomic");
  std::string App = S / "app.yaml";
  writeFile(App, pod("web"));
  std::filesystem::create_directories(S.Dir / "out");
  writeFile(S / "out/report.json", std::string(100'000, 'x'));
  SaguardRun Run = runSaguard({"scan", App, "--format", "json", "-o", S / "out/report.json"});
  EXPECT_EQ(Run.Exit, 1) << Run.Err;
  json Report = json::parse(readFile(S / "out/report.json"), nullptr, false);
  EXPECT_FALSE(Report.is_discarded());
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(S.Dir / "out"),
                          std::filesystem::directory_iterator()),
            1);
}

namespace {

/// A hostile document and what must come of it between two good Pods.
struct Case {
  const char *Name;
  std::string Document;
  /// Line of the error, counted from the document's first line (0); -1: a valid document.
  int ErrorLine;
  const char *Message;
};

std::vector<Case> hostileYaml() {
  std::string Bomb = CustomHead + "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char C = 'b', Prev = 'a'; C <= 'j'; Prev = C++) {
    Bomb += std::string(1, C) + ": &" + C + " [";
    for (int I = 0; I < 10; ++I)
      Bomb += std::string(I ? ", *" : "*") + Prev;
    Bomb += "]\n";
  }
  std::string Dashes = ConfigMapHead + "x: ";
  for (int I = 0; I < 100'000; ++I)
    Dashes += "- ";
  return {
      {"billion-laughs", Bomb, 0, "alias bomb"},
      {"block-nesting", Dashes + "a", 3, "nesting deeper"},
      {"flow-nesting", ConfigMapHead + "x: " + std::string(100'000, '[') +
                           std::string(100'000, ']'),
       3, "nesting deeper"},
      {"invalid-utf8", ConfigMapHead + "data: {a: \"\xff\xfe\"}", 3, "invalid UTF-8"},
      {"bom", "\xEF\xBB\xBF" + ConfigMapHead, -1, ""},
      {"crlf", "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: c}\r\n", -1, ""},
      {"tab-indentation", ConfigMapHead + "data:\n\tk: v", 4, "tab character as indentation"},
      {"tabs-in-scalars", ConfigMapHead + "data:\n  k: \"a\tb\"\n  j:\ta\tb", -1, ""},
      {"merge-key", "apiVersion: v1\nkind: ServiceAccount\nbase: &b {name: sa}\n"
                    "metadata: {<<: *b, namespace: x}\nautomountServiceAccountToken: false",
       -1, ""},
      {"tags", "apiVersion: !!str v1\nkind: !!str ConfigMap\nmetadata: !!map {name: t}\n"
               "data: !custom {a: b}",
       -1, ""},
      {"anchored-pod-spec",
       "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
       "x: &spec {automountServiceAccountToken: false, containers: []}\nspec:\n  template:\n"
       "    spec: *spec",
       -1, ""},
      {"marker-in-block-scalar", ConfigMapHead + "data:\n  x: |\n    ---\n    y: 1\n    ...\n",
       -1, ""},
      {"scalar-document", "just a scalar", 0, "not a mapping"},
      {"sequence-document", "- a\n- b", 0, "not a mapping"},
      {"kind-missing", "apiVersion: v1\nmetadata: {name: k}", 0, "object has no kind"},
      {"kind-not-a-string", "apiVersion: v1\nkind: [Pod]\nmetadata: {name: k}", 1,
       "expected a string"},
      {"metadata-a-list", "apiVersion: v1\nkind: Pod\nmetadata: [a, b]", 2, "not a mapping"},
      {"automount-a-string",
       "apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers: []\n"
       "  automountServiceAccountToken: \"false\"",
       5, "expected a boolean, found the string"},
      {"unknown-kind", "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n"
                       "spec: {template: 5, anything: [1, {a: b}]}",
       -1, ""},
  };
}

} // namespace

TEST(Hostile, YamlSuite) {
  for (const Case &C : hostileYaml()) {
    SCOPED_TRACE(C.Name);
    if (C.ErrorLine < 0)
      expectAnalysed(C.Document, C.Name);
    else
      expectLocatedError(C.Document, HostileLine + C.ErrorLine, C.Message, C.Name);
  }
}

TEST(Hostile, HugeScalarIsRejectedWithoutLosingTheNeighbours) {
  expectLocatedError(ConfigMapHead + "data: {a: " + std::string(100u << 20, 'x') + "}",
                     HostileLine, "exceeds the limit", "huge-scalar");
}

TEST(Hostile, GigabyteFromStdinInBoundedMemory) {
  // One document of 1 GiB between two Pods, piped in: dropped once past the document limit.
  Scratch S("hostile-stdin");
  writeFile(S / "a.yaml", pod("good-a") + "---\n");
  writeFile(S / "b.yaml", "\n---\n" + pod("good-b"));
  std::string Script = "{ cat '" + S / "a.yaml" + "'; yes 'x: " + std::string(1000, 'x') +
                       "' | head -c 1073741824; cat '" + S / "b.yaml" + "'; } | '" +
                       SAGUARD_BIN + "' scan - --format json";
  SaguardRun Run = runProgram({"/bin/sh", "-c", Script});
  EXPECT_EQ(Run.Exit, 2) << Run.Err;
  json Report = json::parse(Run.Out, nullptr, false);
  ASSERT_FALSE(Report.is_discarded());
  ASSERT_EQ(Report.at("errors").size(), 1u) << Report.dump();
  EXPECT_EQ(Report["errors"][0].at("line").get<int>(), HostileLine);
  EXPECT_EQ(objectsWithFindings(Report), (std::set<std::string>{"good-a", "good-b"}));
#if !SAGUARD_ASAN // the sanitizer's own memory would dominate the bound
  struct rusage Usage;
  ASSERT_EQ(getrusage(RUSAGE_CHILDREN, &Usage), 0);
  // Bounded by the 64 MiB document limit (and string growth), not by the stream's size.
  EXPECT_LT(Usage.ru_maxrss, 640L * 1024) << "KiB of peak RSS for 1 GiB of input";
#endif
}
