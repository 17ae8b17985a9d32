//===- Loader.cpp - YAML documents to model objects -----------------------===//
#include "saguard/model/Loader.h"

#include "AliasResolver.h"
#include "ListItems.h"
#include "saguard/model/InertKinds.h"
#include "saguard/model/ModelYAML.h"
#include "saguard/model/PreScan.h"
#include "saguard/model/StrictInput.h"
#include "saguard/support/Error.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"

namespace saguard::model {
namespace {

constexpr size_t MaxMessageBytes = 300;

std::string clip(std::string Message) {
  if (Message.size() > MaxMessageBytes) {
    Message.resize(MaxMessageBytes);
    Message += "...";
  }
  return Message;
}

/// Identity and defaults the rules rely on, checked after mapping.
void finishObject(Object &Obj, const DocumentText &Doc, const LoadOptions &Options,
                  LoadResult &Out) {
  if (Obj.Ref.Kind.empty() || Obj.Ref.ApiVersion.empty()) {
    Out.Errors.push_back({Obj.Ref.Kind.empty() ? "object has no kind" : "object has no apiVersion",
                          Obj.Range, Options.Target});
    return;
  }
  if (!isClusterScopedKind(Obj.Ref.Kind)) {
    std::string Ns = Obj.Meta.Namespace.valueOr("");
    Obj.Ref.Namespace = Ns.empty() ? Options.DefaultNamespace : Ns;
  }
  if (!Options.KeepUnreadKinds && !Obj.carriesAny(Options.Keep)) {
    ++Out.Skipped;
    return;
  }
  Obj.HelmSource = InternedString::intern(Doc.HelmSource);
  Obj.DocumentFirstLine = Doc.FirstLine;
  Obj.Target = Options.Target;
  Out.Objects.push_back(std::move(Obj));
}

/// Keeps the error a shape check found in Text.
void shapeError(const ShapeError &E, llvm::StringRef Text, const ParseContext &Ctx,
                const LoadOptions &Options, LoadResult &Out) {
  const char *At = Text.data() + std::min(E.Offset, Text.size());
  Out.Errors.push_back({clip(E.Message), Ctx.range(At, At), Options.Target});
}

/// An object as mapped, or the error that stopped its mapping: kept until the end of the text
/// is checked, since a second root makes the whole document an error.
struct Mapped {
  Object Obj;
  std::optional<ToolNotification> Error;
};

/// Maps the node In reads now as an object.
void mapObject(StrictInput &In, const ParseContext &Ctx, const LoadOptions &Options,
               bool ListItem, llvm::SmallVectorImpl<Mapped> &Out) {
  Object Obj;
  llvm::yaml::EmptyContext NoContext;
  llvm::yaml::yamlize(In, Obj, true, NoContext);
  if (const std::optional<ShapeError> &E = In.mappingError()) {
    const char *At = Ctx.Buffer.data() + std::min(E->Offset, Ctx.Buffer.size());
    Out.push_back({Object(), ToolNotification{clip("invalid document: " + E->Message),
                                              Ctx.range(At, At), Options.Target}});
    In.clearMappingError(); // the next List item is mapped on its own
    return;
  }
  // A List inside a List is not expanded again (kubectl does not either).
  if (ListItem && llvm::StringRef(Obj.Ref.Kind).endswith("List"))
    return;
  Out.push_back({std::move(Obj), std::nullopt});
}

/// Whether the root In reads is a mapping whose `kind` is `List` or `<Kind>List`.
bool isListRoot(StrictInput &In) {
  if (!llvm::isa_and_nonnull<llvm::yaml::MappingNode>(In.getCurrentNode()))
    return false;
  void *Root = nullptr;
  bool UseDefault = false;
  if (!In.preflightKey("kind", false, false, UseDefault, Root))
    return false;
  llvm::SmallString<32> Storage;
  const auto *Kind = llvm::dyn_cast<llvm::yaml::ScalarNode>(In.getCurrentNode());
  bool List = Kind && Kind->getValue(Storage).endswith("List");
  In.postflightKey(Root);
  return List;
}

/// Maps each item of the List In reads, each on its own; the error when `items` is no list.
std::optional<ShapeError> mapItems(StrictInput &In, const ParseContext &Ctx,
                                   const LoadOptions &Options, llvm::SmallVectorImpl<Mapped> &Out) {
  void *Root = nullptr;
  bool UseDefault = false;
  if (!In.preflightKey("items", false, false, UseDefault, Root))
    return std::nullopt;
  const llvm::yaml::Node *Items = In.getCurrentNode();
  std::optional<ShapeError> Error;
  if (llvm::isa<llvm::yaml::SequenceNode>(Items)) {
    unsigned Count = In.beginSequence();
    for (unsigned I = 0; I < Count; ++I) {
      void *List = nullptr;
      if (!In.preflightElement(I, List))
        continue;
      mapObject(In, Ctx, Options, /*ListItem=*/true, Out);
      In.postflightElement(List);
    }
    In.endSequence();
  } else if (!llvm::isa<llvm::yaml::NullNode>(Items)) {
    const char *At = Items->getSourceRange().Start.getPointer();
    Error = ShapeError{static_cast<size_t>(At - Ctx.Buffer.data()), "items of a List must be a list"};
  }
  In.postflightKey(Root);
  return Error;
}

/// Reads Text (a document, or one item of a block List) in one strict parse and keeps its
/// object, the objects of its List, or the first error of each.
void loadTree(llvm::StringRef Text, ParseContext &Ctx, const DocumentText &Doc,
              const LoadOptions &Options, bool ListItem, LoadResult &Out) {
  StrictInput In(Text, &Ctx, Options.Limits.MaxDepth);
  Ctx.In = &In;
  Ctx.Buffer = Text;
  if (const std::optional<ShapeError> &E = In.shapeError())
    return shapeError(*E, Text, Ctx, Options, Out);
  llvm::SmallVector<Mapped, 1> Objects;
  if (!ListItem && isListRoot(In)) {
    if (std::optional<ShapeError> E = mapItems(In, Ctx, Options, Objects))
      return shapeError(*E, Text, Ctx, Options, Out);
  } else {
    mapObject(In, Ctx, Options, ListItem, Objects);
  }
  Ctx.In = nullptr;
  if (const std::optional<ShapeError> &E = In.checkEnd())
    return shapeError(*E, Text, Ctx, Options, Out);
  for (Mapped &M : Objects) {
    if (M.Error)
      Out.Errors.push_back(std::move(*M.Error));
    else
      finishObject(M.Obj, Doc, Options, Out);
  }
}

/// Text of one List item as a document of its own: the part of its first line before it
/// (`  - `, `[`) becomes one space per character, so its columns, and the indentation its
/// block mapping needs, stay as they were.
std::string itemText(llvm::StringRef Text, TextRange Item) {
  size_t LineBegin = Text.find_last_of("\r\n", Item.Begin == 0 ? 0 : Item.Begin - 1);
  LineBegin = (LineBegin == llvm::StringRef::npos || Item.Begin == 0) ? 0 : LineBegin + 1;
  std::string Out;
  for (char C : Text.slice(LineBegin, Item.Begin))
    if ((static_cast<unsigned char>(C) & 0xC0) != 0x80)
      Out += ' ';
  Out.append(Text.data() + Item.Begin, Item.End - Item.Begin);
  return Out;
}

} // namespace

namespace {

void loadText(const DocumentText &Doc, const LoadOptions &Options, LoadResult &Out) {
  llvm::StringRef Text = Doc.Text;
  unsigned FirstLine = Doc.FirstLine;
  if (Text.startswith("\xEF\xBB\xBF"))
    Text = Text.drop_front(3); // same line, and a BOM has no width
  PreScanResult Scan = preScan(Text, Options.Limits);
  if (Scan.Error) {
    SourcePos Pos = LineTable(Text, FirstLine).position(Scan.ErrorOffset);
    Out.Errors.push_back({clip(std::move(*Scan.Error)), {Doc.Stream, Pos, Pos}, Options.Target});
    return;
  }
  if (!Scan.HasContent)
    return;
  // Checked byte by byte (above) but never parsed: a chart's CRD schemas can be megabytes no
  // rule reads. Aliases in them are never expanded, so they cannot harm either; the pre-scan's
  // guess at aliases would keep most CRDs (`*` in their descriptions) from being skipped.
  if (!Options.KeepUnreadKinds && isInertDocument(Text)) {
    ++Out.Skipped;
    return;
  }

  LineTable Lines(Text, FirstLine, std::move(Scan.LineStarts));
  std::string Quoted;
  if (!Scan.ColonScalars.empty()) {
    Quoted = quoteColonScalars(Text, Scan.ColonScalars);
    Text = Quoted;
    Lines = LineTable(Text, FirstLine);
  }

  ParseContext Ctx;
  Ctx.File = Doc.Stream;
  Ctx.Limits = &Options.Limits;
  Ctx.Lines = &Lines;
  std::string Resolved;
  std::vector<SourcePos> LineOrigins;
  LineTable ResolvedLines("", 1);
  if (Scan.NeedsResolution) {
    auto Doc2 = resolveAliases(Text, Doc.Stream, Lines, Options.Limits);
    if (!Doc2) {
      llvm::handleAllErrors(Doc2.takeError(), [&](const LocatedError &E) {
        Out.Errors.push_back({clip(E.message()), E.range(), Options.Target});
      });
      return;
    }
    Resolved = std::move(Doc2->Text);
    LineOrigins = std::move(Doc2->LineOrigins);
    Ctx.LineOrigins = LineOrigins;
    ResolvedLines = LineTable(Resolved, 1);
    Ctx.Lines = &ResolvedLines;
    Text = Resolved;
  }
  Ctx.Buffer = Text;

  // A block List (kubectl's style) is checked without its items, which are then read one by
  // one: parsing a long List whole holds every node at once.
  if (std::optional<BlockItems> Block = findBlockItems(Text)) {
    std::string Root = Text.str();
    for (size_t I = Block->Value.Begin; I < Block->Value.End; ++I)
      if (Root[I] != '\n')
        Root[I] = ' ';
    StrictInput RootIn(Root, nullptr, Options.Limits.MaxDepth);
    if (RootIn.shapeError())
      return shapeError(*RootIn.shapeError(), Text, Ctx, Options, Out);
    if (isListRoot(RootIn)) {
      if (const std::optional<ShapeError> &E = RootIn.checkEnd())
        return shapeError(*E, Text, Ctx, Options, Out);
      // Each item is a document of its own, so a bad item loses only itself.
      for (TextRange Item : Block->Items) {
        std::string ItemText = itemText(Text, Item);
        LineTable ItemLines(ItemText, Ctx.Lines->position(Item.Begin).Line);
        ParseContext ItemCtx;
        ItemCtx.File = Ctx.File;
        ItemCtx.Limits = Ctx.Limits;
        ItemCtx.Lines = &ItemLines;
        ItemCtx.LineOrigins = Ctx.LineOrigins;
        loadTree(ItemText, ItemCtx, Doc, Options, /*ListItem=*/true, Out);
      }
      return;
    }
  }
  loadTree(Text, Ctx, Doc, Options, /*ListItem=*/false, Out);
}

} // namespace

void loadDocument(const DocumentText &Doc, const LoadOptions &Options, LoadResult &Out) {
  size_t Errors = Out.Errors.size(), Objects = Out.Objects.size(), Skipped = Out.Skipped;
  loadText(Doc, Options, Out);
  // A document helm rendered: its template is where a user can fix what is wrong with it.
  for (size_t I = Errors; I < Out.Errors.size(); ++I)
    Out.Errors[I].HelmSource = Doc.HelmSource;
  if (Options.OnDocument)
    Options.OnDocument({Doc, Out, Objects, Out.Skipped - Skipped, Out.Errors.size() - Errors});
}

} // namespace saguard::model
