//===- DocumentShape.cpp - strict checks and List items of a document -----===//
#include "DocumentShape.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/Support/YAMLParser.h"

#include <algorithm>

using namespace llvm;

namespace saguard::model {
namespace {

/// A collection being read, with the keys seen so far when it is a mapping.
struct Frame {
  yaml::Node *Node;
  yaml::MappingNode::iterator MapIt;
  yaml::SequenceNode::iterator SeqIt;
  bool Started = false;
  std::vector<std::pair<StringRef, size_t>> Keys; ///< key, offset
};

bool isBlankOrBreak(char C) { return C == ' ' || C == '\t' || C == '\r' || C == '\n'; }

class ShapeWalker {
public:
  explicit ShapeWalker(StringRef Text) : Text(Text), Saver(Alloc) {}

  DocumentShape run();

private:
  size_t offsetOf(const yaml::Node *N) const {
    const char *P = N->getSourceRange().Start.getPointer();
    return (P >= Text.begin() && P <= Text.end()) ? static_cast<size_t>(P - Text.begin()) : 0;
  }
  bool fail(size_t Offset, std::string Message) {
    if (!Shape.Error)
      Shape.Error = ShapeError{Offset, std::move(Message)};
    return false;
  }
  bool walk(yaml::Node *Root);
  bool push(yaml::Node *N);
  bool checkKeys(Frame &F);
  void endItems(size_t Boundary);
  size_t itemStart(yaml::Node *Item) const;
  size_t itemEnd(size_t Boundary, bool LastItem) const;

  StringRef Text;
  BumpPtrAllocator Alloc;
  StringSaver Saver;
  std::vector<Frame> Stack;
  DocumentShape Shape;
  /// The List's `items` sequence while it is read, and whether it is a flow sequence.
  yaml::Node *ItemsNode = nullptr;
  bool FlowItems = false;
  bool FlowRoot = false;
  std::vector<size_t> ItemStarts;
  std::optional<size_t> ItemsNotAList;
};

bool ShapeWalker::push(yaml::Node *N) {
  if (isa<yaml::AliasNode>(N))
    return fail(offsetOf(N), "unexpected alias");
  if (isa<yaml::MappingNode>(N) || isa<yaml::SequenceNode>(N))
    Stack.push_back({N, {}, {}, false, {}});
  return true;
}

bool ShapeWalker::checkKeys(Frame &F) {
  auto &Keys = F.Keys;
  std::stable_sort(Keys.begin(), Keys.end(),
                   [](const auto &A, const auto &B) { return A.first < B.first; });
  for (size_t I = 1; I < Keys.size(); ++I)
    if (Keys[I].first == Keys[I - 1].first)
      return fail(std::max(Keys[I].second, Keys[I - 1].second),
                  "duplicate key '" + Keys[I].first.str() + "'");
  return true;
}

/// Where an item starts: a flow collection's node starts at its first entry, not its bracket.
size_t ShapeWalker::itemStart(yaml::Node *Item) const {
  size_t Start = offsetOf(Item);
  char Open = isa<yaml::MappingNode>(Item) ? '{' : isa<yaml::SequenceNode>(Item) ? '[' : 0;
  size_t I = Start;
  while (Open && I > 0 && isBlankOrBreak(Text[I - 1]))
    --I;
  return Open && I > 0 && Text[I - 1] == Open ? I - 1 : Start;
}

/// Where an item ends, given where what follows it starts: back over blanks, then over the
/// separator before the next item (`,` or `- `) or after the last one (the `]` of a flow list,
/// and a flow root's `,` or `}`).
size_t ShapeWalker::itemEnd(size_t Boundary, bool LastItem) const {
  size_t End = Boundary;
  auto SkipBlanks = [&] {
    while (End > 0 && isBlankOrBreak(Text[End - 1]))
      --End;
  };
  auto Skip = [&](char C) {
    SkipBlanks();
    if (End > 0 && Text[End - 1] == C)
      --End;
  };
  if (LastItem) {
    if (FlowRoot)
      Skip(Boundary == Text.size() ? '}' : ',');
    if (FlowItems)
      Skip(']');
  } else if (FlowItems) {
    Skip(',');
  } else {
    Skip('-');
  }
  SkipBlanks();
  return End;
}

void ShapeWalker::endItems(size_t Boundary) {
  for (size_t I = 0; I < ItemStarts.size(); ++I) {
    bool Last = I + 1 == ItemStarts.size();
    size_t End = itemEnd(Last ? Boundary : ItemStarts[I + 1], Last);
    Shape.Items.push_back({ItemStarts[I], std::max(End, ItemStarts[I])});
  }
  ItemStarts.clear();
  ItemsNode = nullptr;
}

bool ShapeWalker::walk(yaml::Node *Root) {
  if (!push(Root))
    return false;
  FlowRoot = offsetOf(Root) < Text.size() && Text[offsetOf(Root)] == '{';
  while (!Stack.empty()) {
    Frame &F = Stack.back();
    yaml::Node *Child = nullptr;
    if (auto *M = dyn_cast<yaml::MappingNode>(F.Node)) {
      F.MapIt = F.Started ? std::next(F.MapIt) : M->begin();
      F.Started = true;
      bool AtRoot = Stack.size() == 1;
      if (F.MapIt == M->end()) {
        if (!checkKeys(F))
          return false;
        Stack.pop_back();
        if (AtRoot && ItemsNode)
          endItems(Text.size());
        continue;
      }
      yaml::KeyValueNode &KV = *F.MapIt;
      auto *Key = dyn_cast_or_null<yaml::ScalarNode>(KV.getKey());
      if (!Key)
        return fail(KV.getKey() ? offsetOf(KV.getKey()) : offsetOf(F.Node),
                    "complex mapping keys are not supported by Kubernetes");
      SmallString<32> Storage;
      StringRef Name = Key->getValue(Storage);
      size_t KeyOffset = offsetOf(Key);
      if (AtRoot && ItemsNode)
        endItems(KeyOffset);
      F.Keys.push_back({Name.data() >= Text.begin() && Name.data() < Text.end() ? Name
                                                                                   : Saver.save(Name),
                        KeyOffset});
      Child = KV.getValue();
      if (!Child)
        return fail(KeyOffset, "invalid mapping value");
      if (AtRoot && Name == "kind")
        if (auto *Kind = dyn_cast<yaml::ScalarNode>(Child)) {
          SmallString<32> KindStorage;
          Shape.IsList = Kind->getValue(KindStorage).endswith("List");
        }
      if (AtRoot && Name == "items") {
        if (isa<yaml::SequenceNode>(Child)) {
          ItemsNode = Child;
          size_t At = offsetOf(Child);
          FlowItems = At < Text.size() && Text[At] == '[';
        } else if (!isa<yaml::NullNode>(Child)) {
          ItemsNotAList = offsetOf(Child);
        }
      }
    } else {
      auto *S = cast<yaml::SequenceNode>(F.Node);
      F.SeqIt = F.Started ? std::next(F.SeqIt) : S->begin();
      F.Started = true;
      if (F.SeqIt == S->end()) {
        Stack.pop_back();
        continue;
      }
      Child = &*F.SeqIt;
      if (F.Node == ItemsNode)
        ItemStarts.push_back(itemStart(Child));
    }
    if (!push(Child))
      return false;
  }
  return true;
}

DocumentShape ShapeWalker::run() {
  SourceMgr SM;
  FirstParseError ParseError(SM, Text);
  yaml::Stream Stream(Text, SM);
  yaml::document_iterator Doc = Stream.begin();
  bool Walked = Doc != Stream.end() && Doc->getRoot() && walk(Doc->getRoot());
  if (Walked && Shape.IsList && ItemsNotAList)
    Walked = fail(*ItemsNotAList, "items of a List must be a list");
  if (Walked && !ParseError.get() && ++Doc != Stream.end()) {
    // `{a: 1} {b: 2}`, or a document marker the splitter did not see: YAML I/O would read the
    // first root only and drop the rest without a word.
    yaml::Node *Second = Doc->getRoot();
    if (Second && !isa<yaml::NullNode>(Second))
      fail(offsetOf(Second), "a second root node or document in one document");
  }
  if (std::optional<ShapeError> E = ParseError.get())
    Shape.Error = ShapeError{E->Offset, "invalid document: " + E->Message};
  if (Shape.Error)
    Shape.Items.clear();
  return std::move(Shape);
}

} // namespace

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

std::optional<ShapeError> FirstParseError::get() const { return First; }

DocumentShape checkShape(llvm::StringRef Text) { return ShapeWalker(Text).run(); }

std::optional<BlockItems> findBlockItems(llvm::StringRef Text) {
  size_t First = Text.find_first_not_of(" \t\r\n");
  if (First == StringRef::npos || Text[First] == '{' || Text[First] == '[')
    return std::nullopt; // a flow root: its lines say nothing about its structure
  auto Content = [](StringRef Line) {
    StringRef Rest = Line.ltrim(" ").rtrim(" \t\r");
    return !Rest.empty() && !Rest.startswith("#");
  };
  // The `items:` line, at the root.
  size_t At = 0;
  for (;;) {
    if (Text.substr(At).startswith("items:") && !Content(Text.substr(At + 6).split('\n').first))
      break;
    At = Text.find('\n', At);
    if (At == StringRef::npos)
      return std::nullopt;
    ++At;
  }
  BlockItems Out;
  size_t LineBegin = Text.find('\n', At);
  if (LineBegin == StringRef::npos)
    return std::nullopt;
  Out.Value.Begin = ++LineBegin;
  size_t Indent = StringRef::npos;
  size_t ItemBegin = StringRef::npos;
  while (LineBegin < Text.size()) {
    size_t LineEnd = std::min(Text.find('\n', LineBegin), Text.size());
    StringRef Line = Text.slice(LineBegin, LineEnd);
    if (Content(Line)) {
      size_t Spaces = Line.find_first_not_of(' ');
      bool Dash = Line[Spaces] == '-' && (Spaces + 1 == Line.size() || isBlankOrBreak(Line[Spaces + 1]));
      if (Indent == StringRef::npos) {
        if (!Dash)
          return std::nullopt; // `items:` holds no block sequence
        Indent = Spaces;
      }
      if (Spaces < Indent || (Spaces == Indent && !Dash))
        break; // the next root key
      if (Spaces == Indent) {
        if (ItemBegin != StringRef::npos)
          Out.Items.push_back({ItemBegin, LineBegin});
        ItemBegin = LineBegin + Spaces + 1;
      }
    }
    LineBegin = LineEnd + 1;
  }
  LineBegin = std::min(LineBegin, Text.size());
  if (ItemBegin == StringRef::npos)
    return std::nullopt;
  Out.Items.push_back({ItemBegin, LineBegin});
  Out.Value.End = LineBegin;
  return Out;
}

} // namespace saguard::model
