// One test per known hazard of LLVM's YAML reader on Kubernetes input: each must end in objects
// or a located error, never a hang, a crash or a lost neighbour.
#include "LoadHelpers.h"

#include <gtest/gtest.h>

using namespace saguard;
using saguard::test::load;

namespace {
const char *PodWithAutomount(const char *Value) {
  static std::string S;
  S = std::string("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: []\n"
                  "  automountServiceAccountToken: ") +
      Value + "\n";
  return S.c_str();
}
} // namespace

TEST(Hazard, AnchorsAliasesAndMergeKeysResolve) {
  auto R = load(R"(apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: &labels {saguard.io/ignore: SA001}
  annotations:
    <<: *labels
    saguard.io/ignore-reason: x
spec:
  serviceAccountName: &sa worker
  automountServiceAccountToken: &off false
  containers: []
)");
  ASSERT_TRUE(R.Errors.empty()) << R.Errors[0].Message;
  ASSERT_EQ(R.Objects.size(), 1u);
  const model::Object &O = R.Objects[0];
  EXPECT_EQ(O.annotation("saguard.io/ignore"), "SA001");
  EXPECT_EQ(O.annotation("saguard.io/ignore-reason"), "x");
  EXPECT_EQ(O.Pod->accountName(), "worker");
  EXPECT_FALSE(*O.Pod->AutomountServiceAccountToken);
  // Positions still point into the original text.
  EXPECT_EQ(O.Pod->AutomountServiceAccountToken.Range.Begin.Line, 11u);
  EXPECT_EQ(O.Pod->SpecKey.Range.Begin.Line, 9u);
}

TEST(Hazard, AliasUsedAsAValueResolves) {
  auto R = load("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: &n a}\n"
                "automountServiceAccountToken: &f false\nx: *f\n");
  ASSERT_TRUE(R.Errors.empty()) << R.Errors[0].Message;
  EXPECT_EQ(R.Objects.at(0).Ref.Name, "a");
}

TEST(Hazard, MergeKeysKeepExplicitKeys) {
  auto R = load("base: &b {serviceAccountName: from-base, automountServiceAccountToken: true}\n"
                "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  <<: *b\n"
                "  serviceAccountName: own\n  containers: []\n");
  ASSERT_TRUE(R.Errors.empty()) << R.Errors[0].Message;
  EXPECT_EQ(R.Objects.at(0).Pod->accountName(), "own");
  EXPECT_TRUE(*R.Objects[0].Pod->AutomountServiceAccountToken);
}

TEST(Hazard, AliasBombIsBoundedAndLocated) {
  // A custom resource: it is parsed, where a kind no rule reads would be skipped unexpanded.
  std::string Bomb = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: bomb}\n"
                     "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char Prev = 'a';
  for (char C = 'b'; C <= 'j'; ++C) {
    Bomb += std::string(1, C) + ": &" + C + " [";
    for (int I = 0; I < 10; ++I)
      Bomb += std::string(I ? ", *" : "*") + Prev;
    Bomb += "]\n";
    Prev = C;
  }
  auto R = load(Bomb, 5);
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_NE(R.Errors[0].Message.find("alias"), std::string::npos);
  EXPECT_EQ(R.Errors[0].Range.Begin.Line, 5u);
  EXPECT_TRUE(R.Objects.empty());
}

TEST(Hazard, RecursiveAndUnknownAliasesAreErrors) {
  EXPECT_EQ(load("apiVersion: v1\nkind: X\na: &a [*a]\n").Errors.size(), 1u);
  auto U = load("apiVersion: v1\nkind: X\nmetadata: {name: *nope}\n");
  ASSERT_EQ(U.Errors.size(), 1u);
  EXPECT_EQ(U.Errors[0].Range.Begin.Line, 3u);
}

TEST(Hazard, ComplexKeysAreALocatedError) {
  auto R = load("apiVersion: v1\nkind: ConfigMap\n? [a, b]\n: c\n");
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_NE(R.Errors[0].Message.find("complex"), std::string::npos);
}

TEST(Hazard, DeepNestingIsRejectedBeforeTheParser) {
  std::string Flow = "apiVersion: v1\nkind: ConfigMap\ndata: " + std::string(30000, '[') +
                     std::string(30000, ']') + "\n";
  auto R = load(Flow);
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_NE(R.Errors[0].Message.find("nesting"), std::string::npos);
  EXPECT_EQ(R.Errors[0].Range.Begin.Line, 3u);

  std::string Block = "apiVersion: v1\nkind: ConfigMap\n";
  for (int I = 0; I < 25000; ++I)
    Block += std::string(I, ' ') + "k:\n";
  EXPECT_EQ(load(Block).Errors.size(), 1u);
  std::string Dashes = "apiVersion: v1\nkind: ConfigMap\nx: ";
  for (int I = 0; I < 25000; ++I)
    Dashes += "- ";
  EXPECT_EQ(load(Dashes + "a\n").Errors.size(), 1u);
}

TEST(Hazard, ExcludedCharactersAreReportedBeforeProblemsOfLines) {
  std::string Tab = "apiVersion: v1\nkind: Pod\n\tmetadata: {name: p}\n";
  auto R = load(Tab);
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_EQ(R.Errors[0].Message, "a tab character as indentation");
  EXPECT_EQ(R.Errors[0].Range.Begin, (SourcePos{3, 1}));
  // A character YAML excludes wins wherever it is, comments included.
  R = load(Tab + "# caf\xC3\n");
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_EQ(R.Errors[0].Message, "invalid UTF-8");
  EXPECT_EQ(R.Errors[0].Range.Begin, (SourcePos{4, 6}));
  R = load("apiVersion: v1\nkind: Pod\nx: " + std::string(30, '[') + "\ny: \"\x7F\"\n", 1,
           [] {
             model::LoadOptions O;
             O.Limits.MaxDepth = 10;
             return O;
           }());
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_EQ(R.Errors[0].Message, "control character U+007F is not allowed");
}

TEST(Hazard, HugeScalarAndDocumentAreRejected) {
  model::LoadOptions Small;
  Small.Limits.MaxScalarBytes = 1000;
  auto R = load("apiVersion: v1\nkind: ConfigMap\ndata: {a: " + std::string(5000, 'x') + "}\n", 1,
                Small);
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_NE(R.Errors[0].Message.find("limit"), std::string::npos);
  Small.Limits.MaxDocumentBytes = 100;
  EXPECT_EQ(load(std::string(200, '#'), 1, Small).Errors.size(), 1u);
}

TEST(Hazard, SyntaxErrorIsLocatedAndShort) {
  std::string Unclosed = "apiVersion: v1\nkind: Pod\nmetadata: {name: p\n";
  for (int I = 0; I < 1000; ++I)
    Unclosed += "[";
  auto R = load(Unclosed, 10);
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_GE(R.Errors[0].Range.Begin.Line, 12u);
  EXPECT_LT(R.Errors[0].Message.size(), 400u);
}

TEST(Hazard, WrongTypesAreLocatedErrors) {
  auto Spec = load("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: 5\n");
  ASSERT_EQ(Spec.Errors.size(), 1u);
  EXPECT_EQ(Spec.Errors[0].Range.Begin.Line, 4u);
  auto Meta = load("apiVersion: v1\nkind: Pod\nmetadata: []\n");
  ASSERT_EQ(Meta.Errors.size(), 1u);
  EXPECT_EQ(Meta.Errors[0].Range.Begin.Line, 3u);
  auto NotAMap = load("just a string\n");
  EXPECT_EQ(NotAMap.Errors.size(), 1u);
  auto Sa = load("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  serviceAccountName: [a]\n");
  ASSERT_EQ(Sa.Errors.size(), 1u);
  EXPECT_EQ(Sa.Errors[0].Range.Begin.Line, 5u);
}

TEST(Hazard, MissingKindOrApiVersionIsAnError) {
  auto R = load("apiVersion: v1\nmetadata: {name: p}\n", 7);
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_NE(R.Errors[0].Message.find("kind"), std::string::npos);
  EXPECT_EQ(R.Errors[0].Range.Begin.Line, 7u);
  EXPECT_EQ(load("kind: Pod\nmetadata: {name: p}\n").Errors.size(), 1u);
}

TEST(Hazard, UnknownKeysAreAccepted) {
  auto R = load("apiVersion: v1\nkind: Pod\nmetadata: {name: p, uid: x}\nspec:\n  hostNetwork: "
                "true\n  containers: []\nstatus: {phase: Running}\n");
  EXPECT_TRUE(R.Errors.empty());
  EXPECT_EQ(R.Objects.size(), 1u);
}

TEST(Hazard, ByteOrderMarkAndCrlfWork) {
  auto R = load("\xEF\xBB\xBF" "apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n"
                "  automountServiceAccountToken: false\r\n  containers: []\r\n");
  ASSERT_TRUE(R.Errors.empty()) << R.Errors[0].Message;
  ASSERT_EQ(R.Objects.size(), 1u);
  EXPECT_EQ(R.Objects[0].Ref.Name, "p");
  EXPECT_EQ(R.Objects[0].Pod->AutomountServiceAccountToken.Range.Begin, (SourcePos{6, 3}));
  EXPECT_EQ(R.Objects[0].Range.Begin, (SourcePos{1, 1}));
}

TEST(Hazard, TabsInsideScalarsWork) {
  auto R = load("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: \"a\\tb\"}\n"
                "data:\n  x: \"1\t2\"\n");
  ASSERT_TRUE(R.Errors.empty());
  EXPECT_EQ(R.Objects.at(0).Ref.Name, "a\tb");
}

TEST(Hazard, InvalidUtf8IsALocatedError) {
  auto R = load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: \"\xC3\x28\"}\n");
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_EQ(R.Errors[0].Range.Begin.Line, 4u);
  EXPECT_NE(R.Errors[0].Message.find("UTF-8"), std::string::npos);
}

TEST(Hazard, Yaml11BooleansReadAsKubernetesReadsThem) {
  for (const char *True : {"true", "True", "TRUE", "yes", "Yes", "on", "ON", "y", "Y"}) {
    auto R = load(PodWithAutomount(True));
    ASSERT_EQ(R.Objects.size(), 1u) << True;
    EXPECT_TRUE(*R.Objects[0].Pod->AutomountServiceAccountToken) << True;
  }
  for (const char *False : {"false", "False", "no", "NO", "off", "Off", "n", "N"}) {
    auto R = load(PodWithAutomount(False));
    ASSERT_EQ(R.Objects.size(), 1u) << False;
    EXPECT_FALSE(*R.Objects[0].Pod->AutomountServiceAccountToken) << False;
  }
}

TEST(Hazard, NullAndEmptyBooleansAreUnset) {
  // helm renders `automountServiceAccountToken: {{ .Values.unset }}` as an empty value.
  for (const char *Null : {"", "null", "~", "Null"}) {
    auto R = load(PodWithAutomount(Null));
    ASSERT_TRUE(R.Errors.empty()) << "'" << Null << "'";
    EXPECT_FALSE(R.Objects.at(0).Pod->AutomountServiceAccountToken.isSet()) << Null;
  }
}

TEST(Hazard, QuotedOrStringTaggedBooleansAreErrors) {
  // The API server rejects a string where it wants a boolean; LLVM alone would accept it.
  for (const char *S : {"\"true\"", "'false'", "!!str true", "maybe"}) {
    auto R = load(PodWithAutomount(S), 1);
    ASSERT_EQ(R.Errors.size(), 1u) << S;
    EXPECT_EQ(R.Errors[0].Range.Begin.Line, 6u) << S;
  }
}

TEST(Hazard, EmptyOrNullLabelsAndAnnotationsAreNone) {
  auto R = load("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n  labels: ~\n"
                "spec: {containers: []}\n");
  ASSERT_TRUE(R.Errors.empty()) << R.Errors[0].Message;
  EXPECT_TRUE(R.Objects.at(0).Meta.Annotations.empty());
  auto Bad = load("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: 5\n");
  ASSERT_EQ(Bad.Errors.size(), 1u);
  EXPECT_EQ(Bad.Errors[0].Range.Begin.Line, 5u);
}

TEST(Hazard, NullLabelValuesAreEmptyAndCollectionsAreErrors) {
  auto R = load("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
                "  name: r\n  labels: {a: b, c: null, d: ~, e: , f: \"null\"}\n");
  ASSERT_TRUE(R.Errors.empty()) << R.Errors[0].Message;
  ASSERT_TRUE(R.Objects.at(0).Role);
  EXPECT_EQ(R.Objects.at(0).Role->Labels, (std::map<std::string, std::string>{
                                             {"a", "b"}, {"c", ""}, {"d", ""}, {"e", ""},
                                             {"f", "null"}}));
  auto Bad = load("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    a: [x]\n");
  ASSERT_EQ(Bad.Errors.size(), 1u);
  EXPECT_EQ(Bad.Errors[0].Message, "invalid document: expected a string, found a sequence");
  EXPECT_EQ(Bad.Errors[0].Range.Begin, (SourcePos{6, 9})); // a flow list starts at its first item
}

TEST(Hazard, PlainScalarsStartingWithAColonLoad) {
  // Kubernetes (go-yaml) reads `- :8080` as the string ":8080"; LLVM 14's scanner rejects it.
  auto R = load(R"(apiVersion: v1
kind: Pod
metadata: {name: p, annotations: {saguard.io/ignore: :x}}
spec:
  containers:
  - name: a
    args:
    - :8080      # a comment
    - --x=:9
    env: [{name: A, value: :9001}, {name: B, value: ':q'}]
  automountServiceAccountToken: false
)");
  ASSERT_TRUE(R.Errors.empty()) << R.Errors[0].Message;
  const model::Object &O = R.Objects.at(0);
  EXPECT_EQ(O.annotation("saguard.io/ignore"), ":x");
  EXPECT_EQ(O.Pod->AutomountServiceAccountToken.Range.Begin, (SourcePos{11, 3}));
}

TEST(Hazard, NestedMergeKeysAreJudgedWithoutExpandingThem) {
  std::string Doc = "apiVersion: example.com/v1\nkind: Widget\nm1: &m1 {a: 1}\n";
  for (int K = 2; K <= 11; ++K) {
    Doc += "m" + std::to_string(K) + ": &m" + std::to_string(K) + " {<<: [";
    for (int I = 0; I < 8; ++I)
      Doc += (I ? ", *m" : "*m") + std::to_string(K - 1);
    Doc += "]}\n";
  }
  auto R = load(Doc + "data: {<<: *m11}\n", 3);
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_NE(R.Errors[0].Message.find("alias bomb"), std::string::npos);
  EXPECT_EQ(R.Errors[0].Range.Begin.Line, 3u);
  // Two levels are a plain merge: the first source naming a key wins, explicit keys win.
  auto Ok = load("apiVersion: v1\nkind: ServiceAccount\nb: &b {automountServiceAccountToken: "
                 "false, x: 1}\nc: &c {<<: [*b, *b], x: 2}\n<<: [*c, *b]\nmetadata: {name: a}\n");
  ASSERT_TRUE(Ok.Errors.empty()) << Ok.Errors[0].Message;
  EXPECT_FALSE(*Ok.Objects.at(0).Account->AutomountServiceAccountToken);
}

TEST(Hazard, DuplicateKeysAreLocatedErrorsWithOrWithoutAliases) {
  auto Plain = load("apiVersion: v1\nkind: Pod\nmetadata: {name: a, name: b}\n");
  ASSERT_EQ(Plain.Errors.size(), 1u);
  EXPECT_EQ(Plain.Errors[0].Message, "duplicate key 'name'");
  EXPECT_EQ(Plain.Errors[0].Range.Begin.Line, 3u);
  auto Resolved = load("apiVersion: v1\nkind: Pod\nx: &x 1\nmetadata:\n  name: a\n  name: *x\n");
  ASSERT_EQ(Resolved.Errors.size(), 1u);
  EXPECT_EQ(Resolved.Errors[0].Message, "duplicate key 'name'");
  EXPECT_EQ(Resolved.Errors[0].Range.Begin.Line, 6u);
}

TEST(Hazard, ControlCharactersAndSecondRootsAreRejected) {
  auto Esc = load("apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\x1b\"}\n");
  ASSERT_EQ(Esc.Errors.size(), 1u);
  EXPECT_EQ(Esc.Errors[0].Message, "control character U+001B is not allowed");
  EXPECT_EQ(Esc.Errors[0].Range.Begin, (SourcePos{3, 20}));
  auto C1 = load("apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\xC2\x9B\"}\n");
  ASSERT_EQ(C1.Errors.size(), 1u);
  EXPECT_EQ(C1.Errors[0].Message, "control character U+009B is not allowed");
  auto Second = load("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n...\nkind: Pod\n");
  ASSERT_EQ(Second.Errors.size(), 1u);
  EXPECT_EQ(Second.Errors[0].Range.Begin.Line, 5u);
}

TEST(Hazard, ListItemsInFlowAndBlockStyleLoadOneByOne) {
  auto R = load("apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: ServiceAccount, "
                "metadata: {name: a}}, {kind: Pod}, {apiVersion: v1, kind: ServiceAccount,\n"
                "  metadata: {name: b}}]\n",
                10);
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_EQ(R.Errors[0].Message, "object has no apiVersion");
  ASSERT_EQ(R.Objects.size(), 2u);
  EXPECT_EQ(R.Objects[0].Ref.Name, "a");
  EXPECT_EQ(R.Objects[1].Ref.Name, "b");
  EXPECT_EQ(R.Objects[1].Range.Begin.Line, 12u);
  auto Block = load("kind: PodList\nitems:\n  - apiVersion: v1\n    kind: ServiceAccount\n"
                    "    metadata: {name: c}\n  # between\n  - apiVersion: v1\n"
                    "    kind: ServiceAccount\n    metadata:\n      name: d\n");
  ASSERT_TRUE(Block.Errors.empty()) << Block.Errors[0].Message;
  ASSERT_EQ(Block.Objects.size(), 2u);
  EXPECT_EQ(Block.Objects[1].Ref.Name, "d");
  EXPECT_EQ(Block.Objects[1].Range.Begin, (SourcePos{7, 5}));
  auto NotAList = load("apiVersion: v1\nkind: List\nitems: 5\n");
  ASSERT_EQ(NotAList.Errors.size(), 1u);
  EXPECT_EQ(NotAList.Errors[0].Range.Begin.Line, 3u);
}

TEST(Hazard, ColonScalarRangesFollowFlowContextAcrossLines) {
  // `:x, :y` continues a flow list opened on the line before: two scalars, not one.
  auto R = load("apiVersion: v1\nkind: ConfigMap\ndata: {a: [\n  :x, :y]}\nmetadata: {name: c}\n",
                1, [] {
                  model::LoadOptions O;
                  O.KeepUnreadKinds = true;
                  return O;
                }());
  ASSERT_TRUE(R.Errors.empty()) << R.Errors[0].Message;
  EXPECT_EQ(R.Objects.at(0).Ref.Name, "c");
}

TEST(Hazard, BlockListsAreCutByLinesAndCheckedItemByItem) {
  std::string List = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n"
                     "  metadata: {name: a}\n  data: |\n    - not an item\n  # a comment\n"
                     "- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: b, name: c}\n"
                     "-\n  apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: d\n"
                     "metadata: {name: the-list}\n";
  auto R = load(List, 20);
  ASSERT_EQ(R.Errors.size(), 1u);
  EXPECT_EQ(R.Errors[0].Message, "duplicate key 'name'");
  EXPECT_EQ(R.Errors[0].Range.Begin.Line, 31u);
  ASSERT_EQ(R.Objects.size(), 2u);
  EXPECT_EQ(R.Objects[0].Ref.Name, "a");
  EXPECT_EQ(R.Objects[1].Ref.Name, "d");
  EXPECT_EQ(R.Objects[1].Range.Begin, (SourcePos{33, 3}));
  // The List's own keys are still checked.
  auto Dup = load("kind: List\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod}\n");
  ASSERT_EQ(Dup.Errors.size(), 1u);
  EXPECT_EQ(Dup.Errors[0].Message, "duplicate key 'kind'");
  // `items:` of a kind that is no List is an ordinary key.
  auto Plain = load("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: s}\nitems:\n- x\n");
  ASSERT_TRUE(Plain.Errors.empty()) << Plain.Errors[0].Message;
  EXPECT_EQ(Plain.Objects.at(0).Ref.Name, "s");
}
