//===- AliasResolver.cpp - expand anchors, aliases and merge keys ---------===//
//
// yaml::Input cannot map aliases (it reports "unknown node kind", and hangs when one Input reads
// several documents), so a document that has them is read once with the yaml::Stream parser into
// a small tree in which an alias is a shared pointer to its anchor's node, then written back as
// plain block YAML with the original position of every line kept beside it.
//
//===----------------------------------------------------------------------===//
#include "AliasResolver.h"

#include "saguard/model/StrictInput.h"

#include "saguard/support/Error.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <algorithm>
#include <deque>

using namespace llvm;

namespace saguard::model {
namespace {

struct TreeNode;

struct Entry {
  std::string Key; ///< empty for sequence elements
  SourcePos Pos;
  TreeNode *Value;
  bool ViaAlias = false; ///< Value is an alias of a node written elsewhere
};

struct TreeNode {
  enum KindTy { Null, Scalar, Map, Seq } Kind = Null;
  std::string Text; ///< a scalar as it is written back
  std::vector<Entry> Entries;
  std::vector<TreeNode *> MergeSources; ///< maps merged in with `<<`, in order
  /// A map with merge sources: its own entries, then each merged key it does not have yet, the
  /// first source naming it winning. Computed once when the map is complete, from the sources'
  /// own lists, so nested merges cost the size of their result, not the number of paths.
  std::vector<const Entry *> Merged;
  /// Nodes a reader that copies every alias (go-yaml, so Kubernetes) decodes for this node, and
  /// how many of them aliases and merge keys produce; saturating.
  uint64_t Weight = 1;
  uint64_t AliasWeight = 0;
  bool Complete = false;

  /// Entries in the order they are written back.
  size_t size() const { return MergeSources.empty() ? Entries.size() : Merged.size(); }
  const Entry &entry(size_t I) const { return MergeSources.empty() ? Entries[I] : *Merged[I]; }
};

/// A parse position inside a collection that is still being read.
struct Frame {
  yaml::Node *Source;
  TreeNode *Node;
  yaml::MappingNode::iterator MapIt;
  yaml::SequenceNode::iterator SeqIt;
  bool Started = false;
};

std::string quote(StringRef Value) {
  std::string Out = "\"";
  for (unsigned char C : Value) {
    switch (C) {
    case '\\': Out += "\\\\"; break;
    case '"': Out += "\\\""; break;
    case '\n': Out += "\\n"; break;
    case '\t': Out += "\\t"; break;
    case '\r': Out += "\\r"; break;
    default:
      if (C < 0x20) {
        static const char Hex[] = "0123456789abcdef";
        Out += "\\x";
        Out += Hex[C >> 4];
        Out += Hex[C & 15];
      } else {
        Out += static_cast<char>(C);
      }
    }
  }
  return Out + "\"";
}

class Resolver {
public:
  Resolver(StringRef Text, FileId File, const LineTable &Lines, const LoadLimits &Limits)
      : Text(Text), File(File), Lines(Lines), Limits(Limits) {}

  Expected<ResolvedDocument> run();

private:
  SourcePos pos(const yaml::Node *N) const {
    return Lines.position(static_cast<size_t>(N->getSourceRange().Start.getPointer() - Text.data()));
  }
  Error errorAt(SourcePos Pos, const Twine &Message) const {
    return make_error<LocatedError>(Message.str(), SourceRange{File, Pos, Pos});
  }
  TreeNode *make(TreeNode::KindTy Kind) {
    Arena.emplace_back();
    Arena.back().Kind = Kind;
    return &Arena.back();
  }
  Expected<TreeNode *> start(yaml::Node *N);
  Expected<TreeNode *> lookupAlias(yaml::AliasNode *A);
  Error addMergeSource(TreeNode *Map, yaml::Node *Value);
  Error build(yaml::Node *Root, TreeNode *&Out);
  void weigh(TreeNode *Collection);
  Error finishMap(TreeNode *Map);
  Error countNode(bool FromAlias);
  Error emit(const TreeNode *N, unsigned Indent, unsigned Depth, bool FromAlias);
  void line(std::string Content, SourcePos Origin);

  StringRef Text;
  FileId File;
  const LineTable &Lines;
  const LoadLimits &Limits;
  std::deque<TreeNode> Arena;
  StringMap<TreeNode *> Anchors;
  std::vector<Frame> Stack;
  size_t FromAliases = 0;  ///< nodes written back that an alias or merge key produced
  size_t MergedCopies = 0; ///< entries copied into merged maps
  ResolvedDocument Result;
};

Expected<TreeNode *> Resolver::lookupAlias(yaml::AliasNode *A) {
  auto It = Anchors.find(A->getName());
  if (It == Anchors.end())
    return errorAt(pos(A), "unknown alias '*" + A->getName() + "'");
  if (!It->second->Complete)
    return errorAt(pos(A), "alias '*" + A->getName() + "' refers to a node that contains it");
  return It->second;
}

Expected<TreeNode *> Resolver::start(yaml::Node *N) {
  if (auto *A = dyn_cast<yaml::AliasNode>(N))
    return lookupAlias(A);
  TreeNode *Node = nullptr;
  if (auto *S = dyn_cast<yaml::ScalarNode>(N)) {
    Node = make(TreeNode::Scalar);
    SmallString<64> Storage;
    StringRef Raw = S->getRawValue();
    bool Plain = !Raw.startswith("\"") && !Raw.startswith("'") && S->getRawTag() != "!!str";
    Node->Text = Plain && !Raw.contains('\n') ? Raw.str() : quote(S->getValue(Storage));
  } else if (auto *B = dyn_cast<yaml::BlockScalarNode>(N)) {
    Node = make(TreeNode::Scalar);
    Node->Text = quote(B->getValue());
  } else if (isa<yaml::MappingNode>(N) || isa<yaml::SequenceNode>(N)) {
    Node = make(isa<yaml::MappingNode>(N) ? TreeNode::Map : TreeNode::Seq);
    if (Stack.size() >= Limits.MaxDepth)
      return errorAt(pos(N), "nesting deeper than the limit of " + Twine(Limits.MaxDepth));
    Stack.push_back({N, Node, {}, {}, false});
  } else {
    Node = make(TreeNode::Null);
  }
  if (!N->getAnchor().empty())
    Anchors[N->getAnchor()] = Node;
  if (Node->Kind == TreeNode::Scalar || Node->Kind == TreeNode::Null)
    Node->Complete = true;
  return Node;
}

Error Resolver::addMergeSource(TreeNode *Map, yaml::Node *Value) {
  auto AddOne = [&](yaml::Node *N) -> Error {
    auto *A = dyn_cast<yaml::AliasNode>(N);
    if (!A)
      return errorAt(pos(N), "a merge key '<<' takes an alias or a list of aliases");
    Expected<TreeNode *> Source = lookupAlias(A);
    if (!Source)
      return Source.takeError();
    if ((*Source)->Kind != TreeNode::Map)
      return errorAt(pos(N), "a merge key '<<' must refer to a mapping");
    Map->MergeSources.push_back(*Source);
    return Error::success();
  };
  if (auto *Seq = dyn_cast<yaml::SequenceNode>(Value)) {
    for (yaml::Node &Item : *Seq)
      if (Error E = AddOne(&Item))
        return E;
    return Error::success();
  }
  return AddOne(Value);
}

Error Resolver::build(yaml::Node *Root, TreeNode *&Out) {
  Expected<TreeNode *> R = start(Root);
  if (!R)
    return R.takeError();
  Out = *R;
  // An explicit stack: documents may nest deeply, and recursion is what crashes LLVM's walkers.
  while (!Stack.empty()) {
    Frame &F = Stack.back();
    yaml::Node *Child = nullptr;
    std::string Key;
    SourcePos KeyPos;
    if (auto *M = dyn_cast<yaml::MappingNode>(F.Source)) {
      // Advance only now: the previous entry's value has been read completely.
      F.MapIt = F.Started ? std::next(F.MapIt) : M->begin();
      F.Started = true;
      if (F.MapIt == M->end()) {
        TreeNode *Done = F.Node;
        Stack.pop_back();
        if (Error E = finishMap(Done))
          return E;
        continue;
      }
      yaml::KeyValueNode &KV = *F.MapIt;
      auto *KeyNode = dyn_cast_or_null<yaml::ScalarNode>(KV.getKey());
      if (!KeyNode)
        return errorAt(KV.getKey() ? pos(KV.getKey()) : pos(F.Source),
                       "complex mapping keys are not supported by Kubernetes");
      SmallString<32> Storage;
      Key = KeyNode->getValue(Storage).str();
      KeyPos = pos(KeyNode);
      Child = KV.getValue();
      if (!Child)
        return errorAt(KeyPos, "invalid mapping value");
      if (Key == "<<" && !KeyNode->getRawValue().startswith("\"") &&
          !KeyNode->getRawValue().startswith("'")) {
        TreeNode *Map = F.Node;
        if (Error E = addMergeSource(Map, Child))
          return E;
        continue;
      }
    } else {
      auto *S = cast<yaml::SequenceNode>(F.Source);
      F.SeqIt = F.Started ? std::next(F.SeqIt) : S->begin();
      F.Started = true;
      if (F.SeqIt == S->end()) {
        TreeNode *Done = F.Node;
        Stack.pop_back();
        weigh(Done);
        continue;
      }
      Child = &*F.SeqIt;
      KeyPos = pos(Child);
    }
    TreeNode *Parent = F.Node; // F may dangle once start() pushes
    Expected<TreeNode *> Value = start(Child);
    if (!Value)
      return Value.takeError();
    Parent->Entries.push_back({std::move(Key), KeyPos, *Value, isa<yaml::AliasNode>(Child)});
  }
  return Error::success();
}

static uint64_t saturatingAdd(uint64_t A, uint64_t B) {
  return A > UINT64_MAX - B ? UINT64_MAX : A + B;
}

void Resolver::weigh(TreeNode *Collection) {
  Collection->Complete = true;
  for (const Entry &E : Collection->Entries) {
    const TreeNode *V = E.Value;
    uint64_t Key = Collection->Kind == TreeNode::Map ? 1 : 0;
    Collection->Weight = saturatingAdd(Collection->Weight, saturatingAdd(Key, V->Weight));
    Collection->AliasWeight =
        saturatingAdd(Collection->AliasWeight, E.ViaAlias ? V->Weight : V->AliasWeight);
  }
  for (const TreeNode *Source : Collection->MergeSources) {
    Collection->Weight = saturatingAdd(Collection->Weight, Source->Weight);
    Collection->AliasWeight = saturatingAdd(Collection->AliasWeight, Source->Weight);
  }
}

Error Resolver::finishMap(TreeNode *Map) {
  weigh(Map);
  // Kubernetes' strict decoding rejects a key written twice in one mapping; YAML I/O would keep
  // the last one silently.
  std::vector<const Entry *> ByKey;
  ByKey.reserve(Map->Entries.size());
  for (const Entry &E : Map->Entries)
    ByKey.push_back(&E);
  std::stable_sort(ByKey.begin(), ByKey.end(),
                   [](const Entry *A, const Entry *B) { return A->Key < B->Key; });
  for (size_t I = 1; I < ByKey.size(); ++I)
    if (ByKey[I]->Key == ByKey[I - 1]->Key)
      return errorAt(ByKey[I]->Pos, "duplicate key '" + ByKey[I]->Key + "'");
  if (Map->MergeSources.empty())
    return Error::success();
  // Explicit keys win over merged ones; among merged maps the first one named wins.
  StringSet<> Seen;
  for (const Entry &E : Map->Entries) {
    Seen.insert(E.Key);
    Map->Merged.push_back(&E);
  }
  for (const TreeNode *Source : Map->MergeSources) {
    for (size_t I = 0, N = Source->size(); I < N; ++I) {
      if (++MergedCopies > Limits.MaxAliasExpansionNodes)
        return errorAt(Lines.position(0), "merge keys expand to more than " +
                                              Twine(Limits.MaxAliasExpansionNodes) +
                                              " entries (an alias bomb?)");
      const Entry &E = Source->entry(I);
      if (Seen.insert(E.Key).second)
        Map->Merged.push_back(&E);
    }
  }
  return Error::success();
}

void Resolver::line(std::string Content, SourcePos Origin) {
  Result.Text += Content;
  Result.Text += '\n';
  Result.LineOrigins.push_back(Origin);
}

/// The allowed share of alias-produced nodes among all nodes decoded so far: go-yaml's rule,
/// which is what Kubernetes' YAML reader applies against alias bombs.
static double allowedAliasRatio(uint64_t Decoded) {
  constexpr double Low = 400'000, High = 4'000'000;
  if (Decoded <= Low)
    return 0.99;
  if (Decoded >= High)
    return 0.10;
  return 0.99 - 0.89 * ((static_cast<double>(Decoded) - Low) / (High - Low));
}

Error Resolver::countNode(bool FromAlias) {
  // Only nodes that aliases produce count against the bound: a large document without aliases
  // is no bomb.
  FromAliases += FromAlias;
  if (FromAliases > Limits.MaxAliasExpansionNodes || Result.Text.size() > Limits.MaxDocumentBytes)
    return errorAt(Lines.position(0), "aliases expand to more than " +
                                          Twine(Limits.MaxAliasExpansionNodes) +
                                          " nodes (an alias bomb?)");
  return Error::success();
}

Error Resolver::emit(const TreeNode *N, unsigned Indent, unsigned Depth, bool FromAlias) {
  if (Depth > Limits.MaxDepth)
    return errorAt({Lines.position(0)}, "aliases expand deeper than the nesting limit of " +
                                            Twine(Limits.MaxDepth));
  std::string Pad(Indent, ' ');
  size_t Own = N->Entries.size();
  for (size_t I = 0, Count = N->size(); I < Count; ++I) {
    const Entry *E = &N->entry(I);
    // Entries after the map's own come from merge keys; a key counts apart from its value, as
    // go-yaml counts nodes.
    bool Copied = FromAlias || I >= Own;
    bool Aliased = Copied || E->ViaAlias;
    if (N->Kind == TreeNode::Map)
      if (Error Err = countNode(Copied))
        return Err;
    if (Error Err = countNode(Aliased))
      return Err;
    std::string Head = Pad + (N->Kind == TreeNode::Map ? quote(E->Key) + ":" : std::string("-"));
    const TreeNode *V = E->Value;
    bool EmptyMap = V->Kind == TreeNode::Map && V->size() == 0;
    if (V->Kind == TreeNode::Scalar)
      line(Head + " " + V->Text, E->Pos);
    else if (V->Kind == TreeNode::Null)
      line(Head, E->Pos);
    else if (EmptyMap || (V->Kind == TreeNode::Seq && V->Entries.empty()))
      line(Head + (EmptyMap ? " {}" : " []"), E->Pos);
    else {
      line(Head, E->Pos);
      if (Error Err = emit(V, Indent + 2, Depth + 1, Aliased))
        return Err;
    }
  }
  return Error::success();
}

Expected<ResolvedDocument> Resolver::run() {
  SourceMgr SM;
  FirstParseError ParseError(SM, Text);
  yaml::Stream Stream(Text, SM);
  TreeNode *Root = nullptr;
  yaml::document_iterator Doc = Stream.begin();
  if (Doc != Stream.end() && Doc->getRoot()) {
    if (Error E = build(Doc->getRoot(), Root))
      return E;
  }
  if (std::optional<ShapeError> E = ParseError.get())
    return errorAt(Lines.position(E->Offset), "invalid document: " + E->Message);
  if (!Root || Root->Kind != TreeNode::Map)
    return errorAt(Lines.position(0), "invalid document: not a YAML mapping");
  // Judged on what copying every alias would decode, before anything is expanded: sharing
  // makes resolving cheap here, but Kubernetes copies, and rejects what this rule rejects.
  if (Root->AliasWeight > 100 && Root->Weight > 1000 &&
      static_cast<double>(Root->AliasWeight) / static_cast<double>(Root->Weight) >
          allowedAliasRatio(Root->Weight))
    return errorAt(Lines.position(0),
                   "aliases and merge keys expand to " +
                       (Root->AliasWeight == UINT64_MAX ? std::string("too many")
                                                        : std::to_string(Root->AliasWeight)) +
                       " nodes, an excessive share of the document (an alias bomb?)");
  if (Error E = emit(Root, 0, 0, /*FromAlias=*/false))
    return E;
  return std::move(Result);
}

} // namespace

Expected<ResolvedDocument> resolveAliases(StringRef Text, FileId File, const LineTable &Lines,
                                          const LoadLimits &Limits) {
  return Resolver(Text, File, Lines, Limits).run();
}

} // namespace saguard::model
