//===- Resolve.cpp - a rule's fix to an exact, checked edit of the file ---===//
#include "saguard/fix/Fixes.h"

#include "FileFixer.h"

#include "saguard/model/Loader.h"
#include "saguard/render/DocumentSplitter.h"

#include "llvm/Support/MemoryBuffer.h"

#include <map>

namespace saguard::fix {

using analysis::Fix;
using analysis::FixKind;

namespace {

/// The code-point column just past byte column Byte of Line.
unsigned columnAfter(llvm::StringRef Line, size_t Byte) {
  unsigned Col = 1;
  for (size_t I = 0; I < Byte && I < Line.size(); ++I)
    Col += (static_cast<unsigned char>(Line[I]) & 0xC0) != 0x80;
  return Col;
}

/// An edit at byte offsets of one line, as a Replace fix with code-point columns.
Fix replaceOnLine(const Fix &From, const BlockText &B, unsigned Line, size_t Begin, size_t End,
                  std::string Replacement) {
  llvm::StringRef L = B.line(Line);
  size_t Start = B.lineOffset(Line);
  Fix Out{From.Description, From.Range, std::move(Replacement), FixKind::Replace};
  Out.Range.Begin = {Line, columnAfter(L, Begin - Start)};
  Out.Range.End = {Line, columnAfter(L, End - Start)};
  return Out;
}

/// Where a fix's range starts, as a line and a byte column; nullopt when not in the text.
std::optional<std::pair<unsigned, unsigned>> startOf(const Fix &F, const BlockText &B) {
  std::optional<size_t> Offset = B.offsetOf(F.Range.Begin);
  if (!Offset)
    return std::nullopt;
  return std::make_pair(F.Range.Begin.Line,
                        static_cast<unsigned>(*Offset - B.lineOffset(F.Range.Begin.Line)));
}

/// The single-line `key: plain-value` a SetValue or RenameKey fix edits; nullopt otherwise,
/// and when the value might go on over the next lines.
std::optional<BlockText::KeyLine> scalarKeyAt(const Fix &F, const BlockText &B) {
  auto Start = startOf(F, B);
  if (!Start || F.Range.End.Line != Start->first)
    return std::nullopt;
  std::optional<BlockText::KeyLine> K = B.keyLine(Start->first, Start->second);
  if (!K || !K->PlainValue || K->Value.empty())
    return std::nullopt;
  unsigned Next = B.nextContentLine(Start->first);
  std::optional<unsigned> NextIndent = B.indentOf(Next);
  if (Next <= B.lineCount() && (!NextIndent || *NextIndent > Start->second))
    return std::nullopt;
  return K;
}

/// The edit a fix stands for, with the line it leaves the key on and that key and value;
/// unchecked.
struct Edit {
  Fix Replace;
  unsigned KeyLine = 0;
  std::string Key, Value;
};

std::optional<Edit> placeFix(const Fix &F, const BlockText &B) {
  switch (F.Kind) {
  case FixKind::Replace:
    return std::nullopt; // nothing says what the range must hold, so nothing can check it
  case FixKind::SetValue: {
    std::optional<BlockText::KeyLine> K = scalarKeyAt(F, B);
    if (!K)
      return std::nullopt;
    unsigned Line = F.Range.Begin.Line;
    return Edit{
        replaceOnLine(F, B, Line, K->ValueOffset, K->ValueOffset + K->Value.size(), F.Replacement),
        Line, K->KeyName.str(), F.Replacement};
  }
  case FixKind::RenameKey: {
    std::optional<BlockText::KeyLine> K = scalarKeyAt(F, B);
    if (!K)
      return std::nullopt;
    unsigned Line = F.Range.Begin.Line;
    auto Block = B.blockAt(Line, startOf(F, B)->second);
    if (!Block || B.hasKey(*Block, F.Replacement))
      return std::nullopt; // the new name would be a duplicate key
    return Edit{
        replaceOnLine(F, B, Line, K->KeyOffset, K->KeyOffset + K->Key.size(), F.Replacement), Line,
        F.Replacement, K->Value.str()};
  }
  case FixKind::AddKeyUnder:
  case FixKind::AppendKey: {
    auto [NewKey, NewValue] = llvm::StringRef(F.Replacement).split(": ");
    auto Start = startOf(F, B);
    if (!Start || NewValue.empty())
      return std::nullopt;
    unsigned AnchorLine = Start->first, Col = Start->second;
    if (F.Kind == FixKind::AddKeyUnder) {
      // The key's value must be a block mapping starting on a later line.
      std::optional<BlockText::KeyLine> Parent = B.keyLine(AnchorLine, Col);
      if (!Parent || !Parent->Value.empty() || !Parent->PlainValue)
        return std::nullopt;
      AnchorLine = B.nextContentLine(AnchorLine);
      std::optional<unsigned> Indent = B.indentOf(AnchorLine);
      if (AnchorLine > B.lineCount() || !Indent || *Indent <= Col ||
          !B.keyLine(AnchorLine, *Indent))
        return std::nullopt;
      Col = *Indent;
    }
    std::optional<BlockText::Block> Block = B.blockAt(AnchorLine, Col);
    if (!Block || B.hasKey(*Block, NewKey))
      return std::nullopt;
    std::string Line = std::string(Col, ' ') + F.Replacement.c_str();
    if (F.Kind == FixKind::AddKeyUnder) {
      // First in the mapping, right above its first key: the place is certain.
      size_t At = B.lineOffset(AnchorLine);
      return Edit{replaceOnLine(F, B, AnchorLine, At, At, Line + B.lineEnd(AnchorLine).str()),
                  AnchorLine, NewKey.str(), NewValue.str()};
    }
    // Last in the mapping: after the end of its last line.
    unsigned Last = Block->End - 1;
    size_t At = B.lineOffset(Last) + B.line(Last).size();
    return Edit{replaceOnLine(F, B, Last, At, At, B.lineEnd(Last).str() + Line), Last + 1,
                NewKey.str(), NewValue.str()};
  }
  }
  return std::nullopt;
}

/// What a text loads to: every object, in order, and the documents that failed.
model::LoadResult loadText(llvm::StringRef Text) {
  model::LoadResult Out;
  model::LoadOptions Options;
  Options.KeepUnreadKinds = true;
  render::DocumentSplitter Splitter(
      1, [&](DocumentText Doc) { model::loadDocument(Doc, Options, Out); });
  Splitter.feed(Text);
  Splitter.finish();
  return Out;
}

/// Whether Obj reads Key as Value from line Line: the fix did what it says.
bool setsField(const model::Object &Obj, unsigned Line, llvm::StringRef Key,
               llvm::StringRef Value) {
  if (Key == "automountServiceAccountToken") {
    const Located<bool> *Field = Obj.Pod       ? &Obj.Pod->AutomountServiceAccountToken
                                 : Obj.Account ? &Obj.Account->AutomountServiceAccountToken
                                               : nullptr;
    return Field && Field->isSet() && Field->Range.Begin.Line == Line &&
           **Field == (Value == "true");
  }
  if (Key == "serviceAccountName")
    return Obj.Pod && Obj.Pod->ServiceAccountName.isSet() &&
           Obj.Pod->ServiceAccountName.Range.Begin.Line == Line &&
           *Obj.Pod->ServiceAccountName == Value;
  return false; // a key this layer cannot read back is not edited
}

/// The lines [First, End) of the document that holds line N: from its `---` line (or the
/// text's start) to the next one (or the text's end).
std::pair<unsigned, unsigned> documentAround(const BlockText &B, unsigned N) {
  unsigned First = N, End = N + 1;
  while (First > 1 && !B.isDocumentMarker(First))
    --First;
  while (End <= B.lineCount() && !B.isDocumentMarker(End))
    ++End;
  return {First, End};
}

} // namespace

const FileFixer::Loaded &FileFixer::original(unsigned First, unsigned End) const {
  auto [It, New] = Originals.try_emplace(First);
  if (New) {
    model::LoadResult Result =
        loadText(Text.slice(Lines.lineOffset(First), Lines.lineOffset(End)));
    for (const model::Object &Obj : Result.Objects)
      It->second.Refs.push_back(Obj.Ref);
    It->second.Errors = Result.Errors.size();
  }
  return It->second;
}

std::optional<Fix> FileFixer::resolve(const Fix &F) const {
  std::optional<Edit> E = placeFix(F, Lines);
  if (!E)
    return std::nullopt;
  // The edited document must load to the same objects, with no new error, and the field set.
  auto [First, End] = documentAround(Lines, E->Replace.Range.Begin.Line);
  size_t DocBegin = Lines.lineOffset(First), DocEnd = Lines.lineOffset(End);
  size_t Begin = *Lines.offsetOf(E->Replace.Range.Begin);
  size_t EditEnd = *Lines.offsetOf(E->Replace.Range.End);
  std::string Edited =
      (Text.slice(DocBegin, Begin) + E->Replace.Replacement + Text.slice(EditEnd, DocEnd)).str();
  const Loaded &Before = original(First, End);
  model::LoadResult After = loadText(Edited);
  const auto &Old = Before.Refs;
  const auto &New = After.Objects;
  if (After.Errors.size() > Before.Errors || Old.size() != New.size())
    return std::nullopt;
  bool Sets = false;
  for (size_t I = 0; I < Old.size(); ++I) {
    if (!(Old[I] == New[I].Ref))
      return std::nullopt;
    Sets = Sets || setsField(New[I], E->KeyLine - First + 1, E->Key, E->Value);
  }
  if (!Sets)
    return std::nullopt;
  return E->Replace;
}

std::optional<Fix> resolveFix(const Fix &F, llvm::StringRef Text) {
  return FileFixer(Text).resolve(F);
}

void resolveFixes(std::vector<analysis::Finding> &Findings, const FileTable &Files) {
  struct OpenFile {
    std::unique_ptr<llvm::MemoryBuffer> Buffer;
    std::unique_ptr<FileFixer> Fixer;
  };
  std::map<FileId, OpenFile> Read;
  for (analysis::Finding &F : Findings) {
    std::vector<Fix> Resolved;
    for (const Fix &Fx : F.Fixes) {
      if (Fx.InRender)
        continue;
      auto [It, New] = Read.try_emplace(Fx.Range.File);
      if (New && Fx.Range.File != 0)
        if (auto Buffer = llvm::MemoryBuffer::getFile(Files.path(Fx.Range.File))) {
          It->second.Buffer = std::move(*Buffer);
          It->second.Fixer = std::make_unique<FileFixer>(It->second.Buffer->getBuffer());
        }
      if (It->second.Fixer)
        if (std::optional<Fix> R = It->second.Fixer->resolve(Fx))
          Resolved.push_back(std::move(*R));
    }
    F.Fixes = std::move(Resolved);
  }
}

} // namespace saguard::fix
