//===- StrictInput.cpp - one strict parse of a document for YAML I/O ------===//
#include "saguard/model/StrictInput.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

#include <algorithm>

using namespace llvm;

namespace saguard::model {

/// A collection's entries live in the arena, copied there once the collection is read whole.
struct StrictInput::TreeNode {
  struct Entry {
    StringRef Key;
    TreeNode *Value;
    size_t KeyOffset;
  };
  const yaml::Node *Source;
  Entry *Entries = nullptr; ///< a mapping's, in document order
  TreeNode **Items = nullptr; ///< a sequence's
  unsigned Size = 0;

  explicit TreeNode(const yaml::Node *Source) : Source(Source) {}
  bool is(yaml::Node::NodeKind Kind) const { return Source && Source->getType() == Kind; }
  bool isScalar() const {
    return is(yaml::Node::NK_Scalar) || is(yaml::Node::NK_BlockScalar);
  }
};

namespace {

using TreeNode = StrictInput::TreeNode;
using Entry = TreeNode::Entry;

bool isNullWord(StringRef S) { return S == "null" || S == "Null" || S == "NULL" || S == "~"; }

/// Mappings up to this size are searched for a repeated key pair by pair; past it, sorted.
constexpr size_t SmallMapping = 8;

} // namespace

/// The one walk: every node in document order, with a stack of the collections being read
/// (never recursion: nesting is the input's to choose). A collection's children collect on a
/// shared scratch stack and move to the arena when it ends, so the arena holds each array once.
class StrictInput::Walker {
public:
  Walker(StrictInput &In, unsigned MaxDepth)
      : In(In), MaxDepth(MaxDepth), Stack(scratch().Stack), Entries(scratch().Entries),
        Items(scratch().Items) {
    Stack.clear();
    Entries.clear();
    Items.clear();
  }

  /// Reads Root and everything below it; false at the first strict error.
  bool run(yaml::Node *Root) {
    In.Root = node(Root);
    while (In.Root && !Stack.empty())
      if (!step())
        return false;
    return In.Root != nullptr;
  }

private:
  struct Frame {
    TreeNode *Out;
    yaml::MappingNode *Map = nullptr;
    yaml::SequenceNode *Seq = nullptr;
    yaml::MappingNode::iterator MapIt{};
    yaml::SequenceNode::iterator SeqIt{};
    bool Started = false;
    size_t ScratchBegin = 0;
  };

  bool fail(size_t Offset, const Twine &Message) {
    if (!In.Shape)
      In.Shape = ShapeError{Offset, Message.str()};
    return false;
  }

  /// N as a tree node; a collection is opened for reading. Null after an error.
  TreeNode *node(yaml::Node *N) {
    // An alias node starts where the token after it does; its name is at the `*`.
    if (auto *Alias = dyn_cast<yaml::AliasNode>(N))
      return fail(static_cast<size_t>(Alias->getName().data() - 1 - In.Text.data()),
                  "unexpected alias"),
             nullptr;
    auto *Out = new (In.Arena.Allocate<TreeNode>()) TreeNode(N);
    auto *Map = dyn_cast<yaml::MappingNode>(N);
    auto *Seq = dyn_cast<yaml::SequenceNode>(N);
    if (!Map && !Seq)
      return Out;
    if (Stack.size() >= MaxDepth)
      return fail(In.offsetOf(N), "nesting deeper than the limit of " + Twine(MaxDepth)),
             nullptr;
    Frame F;
    F.Out = Out;
    F.Map = Map;
    F.Seq = Seq;
    F.ScratchBegin = Map ? Entries.size() : Items.size();
    Stack.push_back(F);
    return Out;
  }

  /// Reads the next child of the innermost open collection, or closes it.
  bool step() {
    Frame &F = Stack.back();
    if (F.Map) {
      F.MapIt = F.Started ? std::next(F.MapIt) : F.Map->begin();
      F.Started = true;
      if (F.MapIt == F.Map->end())
        return closeMapping();
      yaml::KeyValueNode &KV = *F.MapIt;
      auto *Key = dyn_cast_or_null<yaml::ScalarNode>(KV.getKey());
      if (!Key)
        return fail(KV.getKey() ? In.offsetOf(KV.getKey()) : In.offsetOf(F.Map),
                    "complex mapping keys are not supported by Kubernetes");
      SmallString<32> Storage;
      StringRef Name = Key->getValue(Storage);
      if (!Storage.empty())
        Name = Name.copy(In.Arena);
      size_t KeyOffset = In.offsetOf(Key);
      yaml::Node *Value = KV.getValue();
      if (!Value)
        return fail(KeyOffset, "invalid mapping value");
      // F dies here if Value opens a collection: the entry goes first.
      Entries.push_back({Name, nullptr, KeyOffset});
      size_t At = Entries.size() - 1;
      TreeNode *Child = node(Value);
      Entries[At].Value = Child;
      return Child != nullptr;
    }
    F.SeqIt = F.Started ? std::next(F.SeqIt) : F.Seq->begin();
    F.Started = true;
    if (F.SeqIt == F.Seq->end())
      return closeSequence();
    yaml::Node *Item = &*F.SeqIt;
    Items.push_back(nullptr);
    size_t At = Items.size() - 1;
    TreeNode *Child = node(Item);
    Items[At] = Child;
    return Child != nullptr;
  }

  bool closeMapping() {
    Frame &F = Stack.back();
    ArrayRef<Entry> Own = makeArrayRef(Entries).drop_front(F.ScratchBegin);
    if (!checkKeys(Own))
      return false;
    F.Out->Size = static_cast<unsigned>(Own.size());
    F.Out->Entries = In.Arena.Allocate<Entry>(Own.size());
    std::uninitialized_copy(Own.begin(), Own.end(), F.Out->Entries);
    Entries.resize(F.ScratchBegin);
    Stack.pop_back();
    return true;
  }

  bool closeSequence() {
    Frame &F = Stack.back();
    ArrayRef<TreeNode *> Own = makeArrayRef(Items).drop_front(F.ScratchBegin);
    F.Out->Size = static_cast<unsigned>(Own.size());
    F.Out->Items = In.Arena.Allocate<TreeNode *>(Own.size());
    std::uninitialized_copy(Own.begin(), Own.end(), F.Out->Items);
    Items.resize(F.ScratchBegin);
    Stack.pop_back();
    return true;
  }

  /// A key written twice: the first such key in byte order, at its second occurrence.
  bool checkKeys(ArrayRef<Entry> Own) {
    if (Own.size() <= SmallMapping) {
      bool Repeated = false;
      for (size_t I = 1; I < Own.size() && !Repeated; ++I)
        for (size_t J = 0; J < I && !Repeated; ++J)
          Repeated = Own[I].Key == Own[J].Key;
      if (!Repeated)
        return true;
    }
    SmallVector<const Entry *, 16> Sorted;
    for (const Entry &E : Own)
      Sorted.push_back(&E);
    std::stable_sort(Sorted.begin(), Sorted.end(),
                     [](const Entry *A, const Entry *B) { return A->Key < B->Key; });
    for (size_t I = 1; I < Sorted.size(); ++I)
      if (Sorted[I]->Key == Sorted[I - 1]->Key)
        return fail(std::max(Sorted[I]->KeyOffset, Sorted[I - 1]->KeyOffset),
                    "duplicate key '" + Sorted[I]->Key + "'");
    return true;
  }

  /// The stacks keep their capacity from one document to the next (a walk runs only inside
  /// StrictInput's constructor, so never two at once on one thread).
  struct Scratch {
    std::vector<Frame> Stack;
    std::vector<Entry> Entries;
    std::vector<TreeNode *> Items;
  };
  static Scratch &scratch() {
    static thread_local Scratch S;
    return S;
  }

  StrictInput &In;
  unsigned MaxDepth;
  std::vector<Frame> &Stack;
  std::vector<Entry> &Entries;
  std::vector<TreeNode *> &Items;
};

FirstParseError::FirstParseError(SourceMgr &SM, StringRef Text) : Text(Text) {
  SM.setDiagHandler(
      [](const SMDiagnostic &D, void *Ctx) {
        auto &Self = *static_cast<FirstParseError *>(Ctx);
        if (Self.First || D.getKind() != SourceMgr::DK_Error)
          return;
        const char *P = D.getLoc().getPointer();
        size_t Offset = (P >= Self.Text.begin() && P <= Self.Text.end())
                            ? static_cast<size_t>(P - Self.Text.begin())
                            : 0;
        Self.First = ShapeError{Offset, D.getMessage().str()};
      },
      this);
}

StrictInput::StrictInput(StringRef Text, void *Context, unsigned MaxDepth)
    : IO(Context), Text(Text), ParseErrors(SM, Text),
      Stream(std::make_unique<yaml::Stream>(Text, SM)), Doc(Stream->begin()) {
  if (Doc != Stream->end())
    if (yaml::Node *Top = Doc->getRoot())
      Walker(*this, MaxDepth).run(Top);
  Current = Root;
  notedParseError();
}

StrictInput::~StrictInput() = default;

void StrictInput::notedParseError() {
  if (const std::optional<ShapeError> &E = ParseErrors.get())
    Shape = ShapeError{E->Offset, "invalid document: " + E->Message};
}

const std::optional<ShapeError> &StrictInput::checkEnd() {
  if (Ended)
    return Shape;
  Ended = true;
  if (Shape || !Root)
    return Shape;
  Root = Current = nullptr;
  if (++Doc != Stream->end()) {
    yaml::Node *Second = Doc->getRoot();
    if (Second && !isa<yaml::NullNode>(Second))
      Shape = ShapeError{offsetOf(Second), "a second root node or document in one document"};
  }
  notedParseError();
  return Shape;
}

size_t StrictInput::offsetOf(const yaml::Node *N) const {
  const char *P = N ? N->getSourceRange().Start.getPointer() : nullptr;
  return (P >= Text.begin() && P <= Text.end()) ? static_cast<size_t>(P - Text.begin()) : 0;
}

void StrictInput::fail(const TreeNode *N, const Twine &Message) {
  if (!Mapping)
    Mapping = ShapeError{offsetOf(N ? N->Source : nullptr), Message.str()};
}

const yaml::Node *StrictInput::getCurrentNode() const {
  return Current ? Current->Source : nullptr;
}

std::optional<StringRef> StrictInput::scalarValue(const TreeNode *N) {
  if (!N)
    return std::nullopt;
  if (const auto *S = dyn_cast_or_null<yaml::ScalarNode>(N->Source)) {
    SmallString<64> Storage;
    StringRef Value = S->getValue(Storage);
    return Storage.empty() ? Value : Value.copy(Arena);
  }
  if (const auto *B = dyn_cast_or_null<yaml::BlockScalarNode>(N->Source))
    return B->getValue().copy(Arena); // the node's own storage goes with the document
  return std::nullopt;
}

bool StrictInput::mapTag(StringRef Tag, bool Default) {
  if (!Current || !Current->Source)
    return false;
  std::string Found = Current->Source->getVerbatimTag();
  return Found.empty() ? Default : Tag == Found;
}

bool StrictInput::preflightKey(const char *Key, bool Required, bool, bool &UseDefault,
                               void *&SaveInfo) {
  UseDefault = false;
  if (Mapping)
    return false;
  if (!Current || !Current->is(yaml::Node::NK_Mapping)) {
    if (Required || (Current && !Current->is(yaml::Node::NK_Null)))
      fail(Current, "not a mapping");
    else
      UseDefault = true;
    return false;
  }
  StringRef Name(Key);
  for (const Entry &E : makeArrayRef(Current->Entries, Current->Size))
    if (E.Key == Name) {
      SaveInfo = Current;
      Current = E.Value;
      return true;
    }
  if (Required)
    fail(Current, Twine("missing required key '") + Name + "'");
  else
    UseDefault = true;
  return false;
}

void StrictInput::postflightKey(void *SaveInfo) { Current = static_cast<TreeNode *>(SaveInfo); }

std::vector<StringRef> StrictInput::keys() {
  std::vector<StringRef> Keys;
  if (!Current || !Current->is(yaml::Node::NK_Mapping)) {
    fail(Current, "not a mapping");
    return Keys;
  }
  for (const Entry &E : makeArrayRef(Current->Entries, Current->Size))
    Keys.push_back(E.Key);
  return Keys;
}

unsigned StrictInput::beginSequence() {
  if (!Current)
    return 0;
  if (Current->is(yaml::Node::NK_Sequence))
    return Current->Size;
  if (Current->is(yaml::Node::NK_Null))
    return 0;
  // A scalar `null` reads as an empty sequence, as for yaml::Input.
  if (Current->is(yaml::Node::NK_Scalar))
    if (std::optional<StringRef> Value = scalarValue(Current); Value && isNullWord(*Value))
      return 0;
  fail(Current, "not a sequence");
  return 0;
}

bool StrictInput::preflightElement(unsigned Index, void *&SaveInfo) {
  if (Mapping || !Current || !Current->is(yaml::Node::NK_Sequence) || Index >= Current->Size)
    return false;
  SaveInfo = Current;
  Current = Current->Items[Index];
  return true;
}

void StrictInput::postflightElement(void *SaveInfo) {
  Current = static_cast<TreeNode *>(SaveInfo);
}

bool StrictInput::matchEnumScalar(const char *Value, bool) {
  if (EnumMatched || !Current || !Current->isScalar())
    return false;
  std::optional<StringRef> Scalar = scalarValue(Current);
  EnumMatched = Scalar && *Scalar == Value;
  return EnumMatched;
}

bool StrictInput::matchEnumFallback() {
  if (EnumMatched)
    return false;
  EnumMatched = true;
  return true;
}

void StrictInput::endEnumScalar() {
  if (!EnumMatched)
    fail(Current, "unknown enumerated scalar");
}

bool StrictInput::beginBitSetScalar(bool &DoClear) {
  BitsUsed.clear();
  if (Current && Current->is(yaml::Node::NK_Sequence))
    BitsUsed.resize(Current->Size);
  else
    fail(Current, "expected sequence of bit values");
  DoClear = true;
  return true;
}

bool StrictInput::bitSetMatch(const char *Value, bool) {
  if (Mapping || !Current || !Current->is(yaml::Node::NK_Sequence))
    return false;
  for (unsigned I = 0; I < Current->Size; ++I) {
    TreeNode *Item = Current->Items[I];
    if (!Item->isScalar()) {
      fail(Current, "unexpected scalar in sequence of bit values");
      return false;
    }
    if (scalarValue(Item) == StringRef(Value)) {
      BitsUsed[I] = true;
      return true;
    }
  }
  return false;
}

void StrictInput::endBitSetScalar() {
  if (Mapping || !Current || !Current->is(yaml::Node::NK_Sequence))
    return;
  for (unsigned I = 0; I < Current->Size; ++I)
    if (!BitsUsed[I]) {
      fail(Current->Items[I], "unknown bit value");
      return;
    }
}

void StrictInput::scalarString(StringRef &Value, yaml::QuotingType) {
  if (std::optional<StringRef> Scalar = scalarValue(Current))
    Value = *Scalar;
  else
    fail(Current, "unexpected scalar");
}

void StrictInput::blockScalarString(StringRef &Value) {
  scalarString(Value, yaml::QuotingType::None);
}

void StrictInput::scalarTag(std::string &Tag) {
  Tag = Current && Current->Source ? Current->Source->getVerbatimTag() : std::string();
}

yaml::NodeKind StrictInput::getNodeKind() {
  if (Current && Current->is(yaml::Node::NK_Mapping))
    return yaml::NodeKind::Map;
  if (Current && Current->is(yaml::Node::NK_Sequence))
    return yaml::NodeKind::Sequence;
  // yaml::Input has no answer for a null node; as a scalar, reading it fails with a message.
  return yaml::NodeKind::Scalar;
}

void StrictInput::setError(const Twine &Message) { fail(Current, Message); }

std::optional<ShapeError> checkDocument(StringRef Text, unsigned MaxDepth) {
  StrictInput In(Text, nullptr, MaxDepth);
  return In.checkEnd();
}

} // namespace saguard::model
