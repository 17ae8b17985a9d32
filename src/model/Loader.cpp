//===- Loader.cpp - YAML documents to model objects -----------------------===//
#include "saguard/model/Loader.h"

#include "AliasResolver.h"
#include "DocumentShape.h"
#include "saguard/model/InertKinds.h"
#include "saguard/model/ModelYAML.h"
#include "saguard/model/PreScan.h"
#include "saguard/support/Error.h"

#include "llvm/Support/SourceMgr.h"

namespace saguard::model {
namespace {

/// The first error YAML I/O reports; unknown-key warnings are dropped (the model reads only
/// some keys).
struct DiagState {
  llvm::StringRef Buffer;
  std::string Message;
  size_t Offset = 0;
  bool HasError = false;
};

void onDiagnostic(const llvm::SMDiagnostic &Diag, void *Context) {
  auto &State = *static_cast<DiagState *>(Context);
  if (Diag.getKind() != llvm::SourceMgr::DK_Error || State.HasError)
    return;
  State.HasError = true;
  // Our own message only: LLVM's default printer quotes the whole source line, megabytes for
  // a minified document.
  State.Message = Diag.getMessage().str();
  const char *Loc = Diag.getLoc().getPointer();
  if (Loc >= State.Buffer.begin() && Loc <= State.Buffer.end())
    State.Offset = static_cast<size_t>(Loc - State.Buffer.begin());
}

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
  Obj.Target = InternedString::intern(Options.Target);
  Out.Objects.push_back(std::move(Obj));
}

/// Maps Text (the whole document, or one item of a List) with its own yaml::Input and keeps
/// the object, or the error that stopped the mapping.
void mapObject(llvm::StringRef Text, ParseContext &Ctx, const DocumentText &Doc,
               const LoadOptions &Options, bool ListItem, LoadResult &Out) {
  Ctx.Buffer = Text;
  DiagState Diags;
  Diags.Buffer = Text;
  llvm::yaml::Input In(Text, &Ctx, onDiagnostic, &Diags);
  In.setAllowUnknownKeys(true);
  Ctx.In = &In;
  Object Obj;
  In >> Obj;
  if (In.error() || Diags.HasError) {
    SourceRange Where = Ctx.range(Text.data() + Diags.Offset, Text.data() + Diags.Offset);
    Out.Errors.push_back({clip("invalid document: " +
                               (Diags.Message.empty() ? std::string("not a YAML mapping")
                                                      : Diags.Message)),
                          Where, Options.Target});
    return;
  }
  // A List inside a List is not expanded again (kubectl does not either).
  if (ListItem && llvm::StringRef(Obj.Ref.Kind).endswith("List"))
    return;
  finishObject(Obj, Doc, Options, Out);
}

/// Keeps the error a shape check found in Text.
void shapeError(const ShapeError &E, llvm::StringRef Text, const ParseContext &Ctx,
                const LoadOptions &Options, LoadResult &Out) {
  const char *At = Text.data() + std::min(E.Offset, Text.size());
  Out.Errors.push_back({clip(E.Message), Ctx.range(At, At), Options.Target});
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
  LineTable Lines(Text, FirstLine);
  auto ErrorAt = [&](size_t Offset, std::string Message) {
    SourcePos Pos = Lines.position(Offset);
    Out.Errors.push_back({clip(std::move(Message)), {Doc.Stream, Pos, Pos}, Options.Target});
  };

  PreScanResult Scan = preScan(Text, Options.Limits);
  if (Scan.Error)
    return ErrorAt(Scan.ErrorOffset, *Scan.Error);
  if (!Scan.HasContent)
    return;
  // Checked byte by byte (above) but never parsed: a chart's CRD schemas can be megabytes no
  // rule reads. Aliases in them are never expanded, so they cannot harm either; the pre-scan's
  // guess at aliases would keep most CRDs (`*` in their descriptions) from being skipped.
  if (!Options.KeepUnreadKinds && isInertDocument(Text)) {
    ++Out.Skipped;
    return;
  }

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

  // A block List (kubectl's style) is checked without its items, which are then checked one by
  // one: parsing a long List whole holds every node at once.
  std::optional<BlockItems> Block = findBlockItems(Text);
  std::string Root;
  if (Block) {
    Root = Text.str();
    for (size_t I = Block->Value.Begin; I < Block->Value.End; ++I)
      if (Root[I] != '\n')
        Root[I] = ' ';
  }
  DocumentShape Shape = checkShape(Block ? llvm::StringRef(Root) : Text);
  if (Block && !Shape.IsList) {
    Block.reset(); // no List after all: check the whole document
    Shape = checkShape(Text);
  }
  Root = std::string();
  if (Shape.Error)
    return shapeError(*Shape.Error, Text, Ctx, Options, Out);
  if (!Shape.IsList)
    return mapObject(Text, Ctx, Doc, Options, /*ListItem=*/false, Out);

  // Each item is a document of its own, so a bad item loses only itself.
  const LineTable *DocLines = Ctx.Lines;
  for (TextRange Item : Block ? Block->Items : Shape.Items) {
    std::string ItemText = itemText(Text, Item);
    LineTable ItemLines(ItemText, DocLines->position(Item.Begin).Line);
    ParseContext ItemCtx;
    ItemCtx.File = Ctx.File;
    ItemCtx.Limits = Ctx.Limits;
    ItemCtx.Lines = &ItemLines;
    ItemCtx.LineOrigins = Ctx.LineOrigins;
    ItemCtx.Buffer = ItemText;
    if (Block)
      if (DocumentShape ItemShape = checkShape(ItemText); ItemShape.Error) {
        shapeError(*ItemShape.Error, ItemText, ItemCtx, Options, Out);
        continue;
      }
    mapObject(ItemText, ItemCtx, Doc, Options, /*ListItem=*/true, Out);
  }
}

} // namespace

void loadDocument(const DocumentText &Doc, const LoadOptions &Options, LoadResult &Out) {
  size_t Errors = Out.Errors.size();
  loadText(Doc, Options, Out);
  // A document helm rendered: its template is where a user can fix what is wrong with it.
  for (size_t I = Errors; I < Out.Errors.size(); ++I)
    Out.Errors[I].HelmSource = Doc.HelmSource;
}

} // namespace saguard::model
