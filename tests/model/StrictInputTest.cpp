#include "saguard/model/StrictInput.h"
#include "saguard/support/LineTable.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

using saguard::LineTable;
using saguard::SourcePos;
using saguard::model::checkDocument;
using saguard::model::ShapeError;
using saguard::model::StrictInput;

namespace {

enum class Protocol { TCP, UDP };
enum Verb : unsigned { Get = 1, List = 2, Watch = 4 };

struct Port {
  int Number = 0;
  std::string Name;
  Protocol Proto = Protocol::TCP;
};

struct Limits {
  std::string Cpu, Memory;
};

struct Container {
  std::string Name;
  bool Privileged = false;
  std::vector<Port> Ports;
  std::vector<llvm::yaml::Hex32> Masks; // a flow sequence of scalars
  Limits Resources;                      // a flow mapping
  std::map<std::string, int> Weights;    // keys() of a mapping
  Verb Verbs = Verb(0);
  std::string Script; // a block scalar
};

} // namespace

LLVM_YAML_IS_SEQUENCE_VECTOR(Port)
LLVM_YAML_IS_STRING_MAP(int)

namespace llvm::yaml {
template <> struct ScalarEnumerationTraits<Protocol> {
  static void enumeration(IO &IO, Protocol &P) {
    IO.enumCase(P, "TCP", Protocol::TCP);
    IO.enumCase(P, "UDP", Protocol::UDP);
  }
};
template <> struct ScalarBitSetTraits<Verb> {
  static void bitset(IO &IO, Verb &V) {
    IO.bitSetCase(V, "get", Get);
    IO.bitSetCase(V, "list", List);
    IO.bitSetCase(V, "watch", Watch);
  }
};
template <> struct MappingTraits<Port> {
  static void mapping(IO &IO, Port &P) {
    IO.mapRequired("containerPort", P.Number);
    IO.mapOptional("name", P.Name);
    IO.mapOptional("protocol", P.Proto);
  }
};
template <> struct MappingTraits<Limits> {
  static void mapping(IO &IO, Limits &L) {
    IO.mapOptional("cpu", L.Cpu);
    IO.mapOptional("memory", L.Memory);
  }
  static const bool flow = true;
};
template <> struct MappingTraits<Container> {
  static void mapping(IO &IO, Container &C) {
    IO.mapRequired("name", C.Name);
    IO.mapOptional("privileged", C.Privileged);
    IO.mapOptional("ports", C.Ports);
    IO.mapOptional("masks", C.Masks);
    IO.mapOptional("resources", C.Resources);
    IO.mapOptional("weights", C.Weights);
    IO.mapOptional("verbs", C.Verbs);
    IO.mapOptional("script", C.Script);
  }
};
} // namespace llvm::yaml

namespace {

constexpr unsigned Depth = 1000;

/// Line and column of the error's offset in Text.
SourcePos at(const std::string &Text, const ShapeError &E) {
  return LineTable(Text, 1).position(E.Offset);
}

/// Maps Text into a Container; the mapping error's message, empty when there is none.
std::string mapContainer(const std::string &Text, Container &C) {
  StrictInput In(Text, nullptr, Depth);
  EXPECT_FALSE(In.shapeError()) << In.shapeError()->Message;
  llvm::yaml::EmptyContext Ctx;
  llvm::yaml::yamlize(In, C, true, Ctx);
  EXPECT_FALSE(In.checkEnd());
  return In.mappingError() ? In.mappingError()->Message : "";
}

TEST(StrictInput, MapsScalarsSequencesMappingsAndFlowStyles) {
  std::string Text = "name: main\n"
                     "privileged: yes\n"
                     "ports:\n"
                     "- containerPort: 8080\n"
                     "  name: \"ht\\x74p\"\n"
                     "  protocol: UDP\n"
                     "- {containerPort: 9090}\n"
                     "masks: [0x1, 0x20]\n"
                     "resources: {cpu: 500m, memory: 'a''b'}\n"
                     "weights:\n  a: 1\n  b: 2\n"
                     "verbs: [get, watch]\n"
                     "script: |\n  echo hi\n";
  Container C;
  EXPECT_EQ(mapContainer(Text, C), "");
  EXPECT_EQ(C.Name, "main");
  EXPECT_TRUE(C.Privileged);
  ASSERT_EQ(C.Ports.size(), 2u);
  EXPECT_EQ(C.Ports[0].Number, 8080);
  EXPECT_EQ(C.Ports[0].Name, "http");
  EXPECT_EQ(C.Ports[0].Proto, Protocol::UDP);
  EXPECT_EQ(C.Ports[1].Number, 9090);
  EXPECT_EQ(C.Ports[1].Proto, Protocol::TCP);
  ASSERT_EQ(C.Masks.size(), 2u);
  EXPECT_EQ(uint32_t(C.Masks[1]), 0x20u);
  EXPECT_EQ(C.Resources.Cpu, "500m");
  EXPECT_EQ(C.Resources.Memory, "a'b");
  EXPECT_EQ(C.Weights, (std::map<std::string, int>{{"a", 1}, {"b", 2}}));
  EXPECT_EQ(C.Verbs, Verb(Get | Watch));
  EXPECT_EQ(C.Script, "echo hi\n");
}

TEST(StrictInput, UnknownKeysAreIgnored) {
  Container C;
  EXPECT_EQ(mapContainer("name: a\nstatus: {phase: Running}\nextra: [1, 2]\n", C), "");
  EXPECT_EQ(C.Name, "a");
}

TEST(StrictInput, EmptyAndNullSequencesAreEmpty) {
  Container C;
  EXPECT_EQ(mapContainer("name: a\nports:\nmasks: null\n", C), "");
  EXPECT_TRUE(C.Ports.empty());
  EXPECT_TRUE(C.Masks.empty());
}

TEST(StrictInput, WrongKindsAreErrorsAtTheNode) {
  std::string Text = "name: a\nports:\n  containerPort: 1\n";
  StrictInput In(Text, nullptr, Depth);
  Container C;
  llvm::yaml::EmptyContext Ctx;
  llvm::yaml::yamlize(In, C, true, Ctx);
  ASSERT_TRUE(In.mappingError());
  EXPECT_EQ(In.mappingError()->Message, "not a sequence");
  EXPECT_EQ(at(Text, *In.mappingError()), (SourcePos{3, 3}));

  Container Scalar;
  EXPECT_EQ(mapContainer("just text\n", Scalar), "not a mapping");
  Container Missing;
  EXPECT_EQ(mapContainer("privileged: true\n", Missing), "missing required key 'name'");
  Container BadEnum;
  EXPECT_EQ(mapContainer("name: a\nports:\n- {containerPort: 1, protocol: SCTP}\n", BadEnum),
            "unknown enumerated scalar");
  Container BadBit;
  EXPECT_EQ(mapContainer("name: a\nverbs: [get, delete]\n", BadBit), "unknown bit value");
  Container EmptyName;
  EXPECT_EQ(mapContainer("name:\n", EmptyName), "unexpected scalar");
}

TEST(StrictInput, ErrorsDoNotOutliveClearMappingError) {
  std::string Text = "- {containerPort: x}\n- {containerPort: 2}\n";
  StrictInput In(Text, nullptr, Depth);
  std::vector<int> Read;
  unsigned Count = In.beginSequence();
  ASSERT_EQ(Count, 2u);
  for (unsigned I = 0; I < Count; ++I) {
    void *Save = nullptr;
    ASSERT_TRUE(In.preflightElement(I, Save));
    Port P;
    llvm::yaml::EmptyContext Ctx;
    llvm::yaml::yamlize(In, P, true, Ctx);
    if (!In.mappingError())
      Read.push_back(P.Number);
    In.clearMappingError();
    In.postflightElement(Save);
  }
  EXPECT_EQ(Read, std::vector<int>{2});
}

TEST(StrictInput, CurrentNodeFollowsKeysAndItems) {
  std::string Text = "a:\n  - x\n  - {y: 1}\n";
  StrictInput In(Text, nullptr, Depth);
  ASSERT_TRUE(llvm::isa<llvm::yaml::MappingNode>(In.getCurrentNode()));
  EXPECT_EQ(In.keys(), std::vector<llvm::StringRef>{"a"});
  void *Root = nullptr;
  bool UseDefault = false;
  EXPECT_FALSE(In.preflightKey("b", false, false, UseDefault, Root));
  EXPECT_TRUE(UseDefault);
  ASSERT_TRUE(In.preflightKey("a", false, false, UseDefault, Root));
  EXPECT_EQ(In.getNodeKind(), llvm::yaml::NodeKind::Sequence);
  void *Seq = nullptr;
  ASSERT_TRUE(In.preflightElement(1, Seq));
  EXPECT_EQ(In.getNodeKind(), llvm::yaml::NodeKind::Map);
  // A flow collection's node starts at its first entry (LLVM's choice).
  EXPECT_EQ(In.getCurrentNode()->getSourceRange().Start.getPointer() - Text.data(), 14);
  In.postflightElement(Seq);
  EXPECT_FALSE(In.preflightElement(2, Seq));
  In.postflightKey(Root);
  EXPECT_TRUE(llvm::isa<llvm::yaml::MappingNode>(In.getCurrentNode()));
}

TEST(StrictInput, DuplicateKeysAreReportedAtTheirSecondOccurrence) {
  std::string Text = "b: 1\na:\n  x: 1\n  y: 2\n  x: 3\na: 2\n";
  std::optional<ShapeError> E = checkDocument(Text, Depth);
  ASSERT_TRUE(E);
  // The inner mapping ends first.
  EXPECT_EQ(E->Message, "duplicate key 'x'");
  EXPECT_EQ(at(Text, *E), (SourcePos{5, 3}));

  // Past the pair-by-pair size, the first repeated key in byte order.
  std::string Wide;
  for (char C = 'a'; C <= 'p'; ++C)
    Wide += std::string(1, C) + ": 1\n";
  Wide += "o: 2\nc: 2\n";
  E = checkDocument(Wide, Depth);
  ASSERT_TRUE(E);
  EXPECT_EQ(E->Message, "duplicate key 'c'");
  EXPECT_EQ(at(Wide, *E), (SourcePos{18, 1}));

  // Keys are compared by value: a quoted key equals its plain spelling.
  E = checkDocument("{a: 1, \"\\x61\": 2}", Depth);
  ASSERT_TRUE(E);
  EXPECT_EQ(E->Message, "duplicate key 'a'");
  EXPECT_EQ(E->Offset, 7u);
}

TEST(StrictInput, ComplexKeysAliasesAndSecondRootsAreErrors) {
  std::string Complex = "a: 1\n? [b]\n: 2\n";
  std::optional<ShapeError> E = checkDocument(Complex, Depth);
  ASSERT_TRUE(E);
  EXPECT_EQ(E->Message, "complex mapping keys are not supported by Kubernetes");
  EXPECT_EQ(at(Complex, *E), (SourcePos{2, 4}));

  std::string Alias = "a: &x 1\nb:\n  - *x\n";
  E = checkDocument(Alias, Depth);
  ASSERT_TRUE(E);
  EXPECT_EQ(E->Message, "unexpected alias");
  EXPECT_EQ(at(Alias, *E), (SourcePos{3, 5}));

  std::string Second = "{a: 1}\n{b: 2}\n";
  StrictInput In(Second, nullptr, Depth);
  EXPECT_FALSE(In.shapeError());
  ASSERT_TRUE(In.checkEnd());
  EXPECT_EQ(In.checkEnd()->Message, "a second root node or document in one document");
  EXPECT_EQ(at(Second, *In.checkEnd()), (SourcePos{2, 2}));
  EXPECT_FALSE(checkDocument("a: 1\n...\n# only a comment\n", Depth));
}

TEST(StrictInput, ParserErrorsAreLocatedAndPrefixed) {
  std::string Text = "a: 1\nb: [1, 2\n";
  std::optional<ShapeError> E = checkDocument(Text, Depth);
  ASSERT_TRUE(E);
  EXPECT_EQ(llvm::StringRef(E->Message).startswith("invalid document: "), true) << E->Message;
  EXPECT_GE(at(Text, *E).Line, 2u);
}

TEST(StrictInput, NestingIsBoundedWithoutRecursion) {
  // Far deeper than any stack would take in a recursive walk.
  std::string Deep = "a: " + std::string(200000, '[') + std::string(200000, ']') + "\n";
  std::optional<ShapeError> E = checkDocument(Deep, Depth);
  ASSERT_TRUE(E);
  EXPECT_EQ(E->Message, "nesting deeper than the limit of 1000");
  // At the node of the 1000th bracket, which starts at its first entry: the next bracket.
  EXPECT_EQ(E->Offset, 3u + Depth);
  // Under the bound, deep is fine.
  std::string Ok = "a: " + std::string(900, '[') + std::string(900, ']') + "\n";
  EXPECT_FALSE(checkDocument(Ok, Depth));
}

} // namespace
