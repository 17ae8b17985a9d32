//===- Resolve.cpp - a rule's fix to an exact, checked edit of the file ---===//
#include "saguard/fix/Fixes.h"

#include "FileFixer.h"

#include "saguard/model/Loader.h"
#include "saguard/render/DocumentSplitter.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

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
  if (Next <= B.lastLine() && (!NextIndent || *NextIndent > Start->second))
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
      if (AnchorLine > B.lastLine() || !Indent || *Indent <= Col ||
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
model::LoadResult loadText(llvm::StringRef Text, llvm::StringRef DefaultNamespace) {
  model::LoadResult Out;
  model::LoadOptions Options;
  Options.DefaultNamespace = DefaultNamespace.str();
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

/// The line that starts at byte Start of Text, without its line end.
llvm::StringRef lineFrom(llvm::StringRef Text, size_t Start) {
  llvm::StringRef Line = Text.slice(Start, Text.find('\n', Start));
  Line.consume_back("\r");
  return Line;
}

/// Where the line after the one that starts at Start starts (Text's size after the last).
size_t nextLineStart(llvm::StringRef Text, size_t Start) {
  size_t End = Text.find('\n', Start);
  return End == llvm::StringRef::npos ? Text.size() : End + 1;
}

} // namespace

std::optional<size_t> FileFixer::lineStart(unsigned N) const {
  if (N < 1)
    return std::nullopt;
  size_t Stride = (N - 1) / LineStride;
  while (StrideStarts.size() <= Stride) {
    size_t At = StrideStarts.back();
    for (unsigned I = 0; I < LineStride && At < Text.size(); ++I)
      At = nextLineStart(Text, At);
    if (At >= Text.size())
      return std::nullopt; // the text ends before line N's stride
    StrideStarts.push_back(At);
  }
  size_t At = StrideStarts[Stride];
  for (unsigned I = 0; I < (N - 1) % LineStride && At < Text.size(); ++I)
    At = nextLineStart(Text, At);
  if (At >= Text.size())
    return std::nullopt;
  return At;
}

std::optional<size_t> FileFixer::offsetOf(SourcePos Pos) const {
  std::optional<size_t> Start = lineStart(Pos.Line);
  if (!Start)
    return std::nullopt;
  std::optional<size_t> Byte = bytesBeforeColumn(lineFrom(Text, *Start), Pos.Column);
  if (!Byte)
    return std::nullopt;
  return *Start + *Byte;
}

std::optional<BlockText> FileFixer::documentAround(unsigned N) const {
  std::optional<size_t> Start = lineStart(N);
  if (!Start)
    return std::nullopt;
  unsigned First = N;
  size_t Begin = *Start;
  while (First > 1 && !render::isDocumentMarkerLine(lineFrom(Text, Begin))) {
    size_t PreviousEnd = Text.rfind('\n', Begin - 1);
    Begin = PreviousEnd == llvm::StringRef::npos ? 0 : PreviousEnd + 1;
    --First;
  }
  size_t End = nextLineStart(Text, *Start);
  while (End < Text.size() && !render::isDocumentMarkerLine(lineFrom(Text, End)))
    End = nextLineStart(Text, End);
  return BlockText(Text.slice(Begin, End), First);
}

const DocumentFixer::Loaded &DocumentFixer::original(const BlockText &Doc) const {
  auto [It, New] = Originals.try_emplace(Doc.firstLine());
  if (!New)
    return It->second;
  Loaded &Out = It->second;
  // The main pass's document starts after the `---` line, and must be this very text.
  unsigned TextLine = Doc.firstLine() + Doc.isDocumentMarker(Doc.firstLine());
  size_t TextBytes = Doc.text().size() - Doc.lineOffset(TextLine);
  if (Recorded)
    if (auto D = Recorded->find(File, TextLine); D && D->TextBytes == TextBytes) {
      Out = {D->Refs.str(), D->Errors, D->DefaultNamespace.str()};
      return Out;
    }
  model::LoadResult Result = loadText(Doc.text(), Out.DefaultNamespace);
  for (const model::Object &Obj : Result.Objects)
    appendRefs(Obj.Ref, Out.Refs);
  Out.Errors = Result.Errors.size();
  return Out;
}

std::optional<Fix> FileFixer::resolve(const Fix &F) const {
  std::optional<BlockText> Doc = documentAround(F.Range.Begin.Line);
  return Doc ? Proof.resolve(F, *Doc) : std::nullopt;
}

std::optional<Fix> DocumentFixer::resolve(const Fix &F, const BlockText &Doc) const {
  std::optional<Edit> E = placeFix(F, Doc);
  if (!E)
    return std::nullopt;
  // The edited document must load to the same objects, with no new error, and the field set.
  llvm::StringRef Text = Doc.text();
  size_t Begin = *Doc.offsetOf(E->Replace.Range.Begin);
  size_t EditEnd = *Doc.offsetOf(E->Replace.Range.End);
  std::string Edited =
      (Text.take_front(Begin) + E->Replace.Replacement + Text.drop_front(EditEnd)).str();
  const Loaded &Before = original(Doc);
  model::LoadResult After = loadText(Edited, Before.DefaultNamespace);
  if (After.Errors.size() > Before.Errors)
    return std::nullopt;
  std::string Refs;
  bool Sets = false;
  for (const model::Object &Obj : After.Objects) {
    appendRefs(Obj.Ref, Refs);
    Sets = Sets || setsField(Obj, E->KeyLine - Doc.firstLine() + 1, E->Key, E->Value);
  }
  if (Refs != Before.Refs || !Sets)
    return std::nullopt;
  return E->Replace;
}

std::optional<Fix> resolveFix(const Fix &F, llvm::StringRef Text) {
  return FileFixer(Text).resolve(F);
}

namespace {

/// Calls OnDocument(First, End, Text) for each document of the file at Path, lines [First, End)
/// cut as FileFixer cuts them (from a `---` or `...` line to the next), reading the file in
/// pieces: only one document is held at a time. False when the file cannot be read.
bool forEachDocument(const std::string &Path,
                     llvm::function_ref<void(unsigned, unsigned, llvm::StringRef)> OnDocument) {
  llvm::Expected<llvm::sys::fs::file_t> File = llvm::sys::fs::openNativeFileForRead(Path);
  if (!File) {
    llvm::consumeError(File.takeError());
    return false;
  }
  std::string Doc, Partial;
  unsigned First = 1, Line = 1;
  auto TakeLine = [&](llvm::StringRef L) {
    llvm::StringRef Body = L;
    Body.consume_back("\n");
    Body.consume_back("\r");
    if (Line > 1 && render::isDocumentMarkerLine(Body)) {
      OnDocument(First, Line, Doc);
      Doc.clear();
      First = Line;
    }
    Doc.append(L.data(), L.size());
    ++Line;
  };
  std::vector<char> Buffer(1 << 16);
  bool Read = true;
  while (true) {
    llvm::Expected<size_t> Got = llvm::sys::fs::readNativeFile(*File, Buffer);
    if (!Got) {
      llvm::consumeError(Got.takeError());
      Read = false;
      break;
    }
    if (*Got == 0)
      break;
    llvm::StringRef Chunk(Buffer.data(), *Got);
    for (size_t NL; (NL = Chunk.find('\n')) != llvm::StringRef::npos;
         Chunk = Chunk.drop_front(NL + 1)) {
      if (Partial.empty()) {
        TakeLine(Chunk.take_front(NL + 1));
      } else {
        Partial.append(Chunk.data(), NL + 1);
        TakeLine(Partial);
        Partial.clear();
      }
    }
    Partial.append(Chunk.data(), Chunk.size());
  }
  llvm::sys::fs::closeFile(*File);
  if (!Read)
    return false;
  if (!Partial.empty())
    TakeLine(Partial);
  OnDocument(First, Line, Doc);
  return true;
}

} // namespace

void resolveFixes(std::vector<analysis::Finding> &Findings, const FileTable &Files,
                  const LoadedDocuments *Loaded, unsigned Jobs) {
  // Fixes of files in the order met, then each file's by the line they start on, so one pass
  // over the file meets them all.
  auto InFile = [](const Fix &Fx) { return !Fx.InRender && Fx.Range.File != 0; };
  struct Pending {
    unsigned Line;
    Fix *Of;
    size_t Order;
  };
  std::map<FileId, std::vector<Pending>> ByFile;
  size_t Count = 0;
  for (analysis::Finding &F : Findings)
    for (Fix &Fx : F.Fixes)
      if (InFile(Fx))
        ByFile[Fx.Range.File].push_back({Fx.Range.Begin.Line, &Fx, Count++});
  // The documents that fixes edit, each with its fixes: read first, then proven on Jobs threads.
  struct Document {
    FileId File;
    unsigned First;
    std::string Text;
    std::vector<Pending> Fixes;
  };
  std::vector<Document> Documents;
  for (auto It = ByFile.begin(); It != ByFile.end(); ++It) {
    std::vector<Pending> &Fixes = It->second;
    std::stable_sort(Fixes.begin(), Fixes.end(),
                     [](const Pending &A, const Pending &B) { return A.Line < B.Line; });
    size_t Next = 0;
    forEachDocument(Files.path(It->first), [&](unsigned First, unsigned End, llvm::StringRef Text) {
      while (Next < Fixes.size() && Fixes[Next].Line < First)
        ++Next; // line 0: in no document
      if (Next == Fixes.size() || Fixes[Next].Line >= End)
        return;
      Document &D = Documents.emplace_back(Document{It->first, First, Text.str(), {}});
      for (; Next < Fixes.size() && Fixes[Next].Line < End; ++Next)
        D.Fixes.push_back(Fixes[Next]);
    });
  }
  std::vector<char> Proven(Count, false);
  std::atomic<size_t> NextDocument{0};
  auto Prove = [&] {
    for (size_t I = NextDocument++; I < Documents.size(); I = NextDocument++) {
      const Document &D = Documents[I];
      DocumentFixer Proof(Loaded, D.File);
      BlockText Lines(D.Text, D.First);
      for (const Pending &P : D.Fixes)
        if (std::optional<Fix> R = Proof.resolve(*P.Of, Lines)) {
          *P.Of = std::move(*R);
          Proven[P.Order] = true;
        }
    }
  };
  std::vector<std::thread> Threads;
  for (unsigned I = 1; I < std::min<size_t>(Jobs, Documents.size()); ++I)
    Threads.emplace_back(Prove);
  Prove();
  for (std::thread &T : Threads)
    T.join();
  size_t Order = 0;
  for (analysis::Finding &F : Findings) {
    std::vector<Fix> Resolved;
    for (Fix &Fx : F.Fixes)
      if (InFile(Fx) && Proven[Order++])
        Resolved.push_back(std::move(Fx));
    F.Fixes = std::move(Resolved);
  }
}

} // namespace saguard::fix
