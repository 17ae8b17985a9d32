//===- Apply.cpp - fixes applied to files: plan, diff, atomic write -------===//
#include "saguard/fix/Fixes.h"

#include "FileFixer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>

namespace saguard::fix {

using analysis::Finding;
using analysis::Fix;

namespace {

std::optional<std::string> readFile(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return std::nullopt;
  return (*Buffer)->getBuffer().str();
}

/// The fixes planned for one file, resolved against Text.
struct FileEdits {
  std::string Path;
  std::optional<std::string> Text;
  std::unique_ptr<FileFixer> Fixer;
  /// Resolved edits as byte ranges, with what they fix.
  struct One {
    size_t Begin, End;
    const Fix *Resolved;
    const Finding *Of;
  };
  std::vector<One> Edits;
  std::vector<Fix> Storage;
};

std::string where(const std::string &Path, const Finding &F) {
  return llvm::formatv("{0}:{1}", Path, F.Primary.Begin.Line).str();
}

} // namespace

llvm::Expected<FixPlan> planFixes(const std::vector<Finding> &Findings, const FileTable &Files) {
  FixPlan Plan;
  std::map<std::string, FileEdits> ByPath;
  for (const Finding &F : Findings) {
    if (F.Suppressed)
      continue;
    Plan.Rendered += llvm::any_of(F.Fixes, [](const Fix &Fx) { return Fx.InRender; });
    for (const Fix &Fx : F.Fixes) {
      if (Fx.Range.File == 0 || Fx.InRender)
        continue;
      const std::string &Path = Files.path(Fx.Range.File);
      auto [It, New] = ByPath.try_emplace(Path);
      FileEdits &E = It->second;
      if (New) {
        E.Path = Path;
        E.Text = readFile(Path);
        if (E.Text)
          E.Fixer = std::make_unique<FileFixer>(*E.Text);
      }
      std::optional<Fix> R = E.Fixer ? E.Fixer->resolve(Fx) : std::nullopt;
      if (!R) {
        Plan.Unsafe.push_back(where(Path, F) + ": " + F.Message + " [" + F.RuleId + "]");
        continue;
      }
      E.Storage.push_back(*R);
      E.Edits.push_back(
          {*E.Fixer->offsetOf(R->Range.Begin), *E.Fixer->offsetOf(R->Range.End), nullptr, &F});
    }
  }

  std::map<std::pair<uint64_t, uint64_t>, std::string> Seen;
  for (auto &[Path, E] : ByPath) {
    if (E.Edits.empty())
      continue;
    for (size_t I = 0; I < E.Edits.size(); ++I)
      E.Edits[I].Resolved = &E.Storage[I];
    llvm::sys::fs::UniqueID Id;
    if (!llvm::sys::fs::getUniqueID(Path, Id)) {
      auto [It, New] = Seen.try_emplace({Id.getDevice(), Id.getFile()}, Path);
      if (!New)
        return llvm::createStringError(
            std::errc::invalid_argument,
            "'%s' and '%s' are one file: which path's fixes apply is ambiguous; nothing changed",
            It->second.c_str(), Path.c_str());
    }
    std::stable_sort(E.Edits.begin(), E.Edits.end(), [](const auto &A, const auto &B) {
      return std::tie(A.Begin, A.End) < std::tie(B.Begin, B.End);
    });
    // The same edit asked for by two findings is made once; two different ones that touch
    // the same bytes (or insert at the same place) are refused.
    std::vector<FileEdits::One> Kept;
    for (const FileEdits::One &Edit : E.Edits) {
      if (!Kept.empty()) {
        const FileEdits::One &Prev = Kept.back();
        bool Same = Prev.Begin == Edit.Begin && Prev.End == Edit.End &&
                    Prev.Resolved->Replacement == Edit.Resolved->Replacement;
        if (Same)
          continue;
        if (Edit.Begin < Prev.End || (Edit.Begin == Prev.Begin && Prev.Begin == Prev.End))
          return llvm::createStringError(
              std::errc::invalid_argument,
              "two fixes overlap in '%s' at line %u (%s [%s], %s [%s]); nothing changed",
              Path.c_str(), Edit.Resolved->Range.Begin.Line, Prev.Resolved->Description.c_str(),
              Prev.Of->RuleId.c_str(), Edit.Resolved->Description.c_str(), Edit.Of->RuleId.c_str());
      }
      Kept.push_back(Edit);
    }
    FileChange Change{Path, *E.Text, "", {}};
    size_t Done = 0;
    for (const FileEdits::One &Edit : Kept) {
      Change.After += Change.Before.substr(Done, Edit.Begin - Done);
      Change.After += Edit.Resolved->Replacement;
      Done = Edit.End;
      Change.Applied.push_back(llvm::formatv("{0}: {1} [{2}]", Edit.Resolved->Range.Begin.Line,
                                             Edit.Resolved->Description, Edit.Of->RuleId));
    }
    Change.After += Change.Before.substr(Done);
    Plan.Changes.push_back(std::move(Change));
  }
  return Plan;
}

llvm::Error writeChanges(const std::vector<FileChange> &Changes) {
  // Every file is checked before any is written, so a refusal leaves all of them as they were.
  for (const FileChange &C : Changes)
    if (readFile(C.Path) != C.Before)
      return llvm::createStringError(std::errc::device_or_resource_busy,
                                     "'%s' changed since it was read; nothing changed",
                                     C.Path.c_str());
  for (const FileChange &C : Changes) {
    llvm::ErrorOr<llvm::sys::fs::perms> Mode = llvm::sys::fs::getPermissions(C.Path);
    // writeToOutput writes a temporary file beside the target and renames it over.
    if (llvm::Error E = llvm::writeToOutput(C.Path, [&](llvm::raw_ostream &OS) {
          OS << C.After;
          return llvm::Error::success();
        }))
      return llvm::createStringError(std::errc::io_error, "cannot write '%s': %s", C.Path.c_str(),
                                     llvm::toString(std::move(E)).c_str());
    if (Mode)
      (void)llvm::sys::fs::setPermissions(C.Path, *Mode);
  }
  return llvm::Error::success();
}

namespace {

/// Lines of Text, each with its line end.
std::vector<llvm::StringRef> linesOf(llvm::StringRef Text) {
  std::vector<llvm::StringRef> Lines;
  while (!Text.empty()) {
    size_t End = Text.find('\n');
    End = End == llvm::StringRef::npos ? Text.size() : End + 1;
    Lines.push_back(Text.take_front(End));
    Text = Text.drop_front(End);
  }
  return Lines;
}

/// One line of an edit script: kept (' '), removed ('-') or added ('+').
struct ScriptLine {
  char Op;
  llvm::StringRef Text;
};

/// An edit script from A to B. Fixes change a few lines far apart, so after each difference
/// the nearest place where both continue alike is searched (fewest lines skipped first): time
/// and memory grow with the file and the size of each change, not with their product as in a
/// full shortest-edit-script search. Every kept line is equal in both, so the script (and the
/// diff) is always right, if not always the shortest.
std::vector<ScriptLine> editScript(const std::vector<llvm::StringRef> &A,
                                   const std::vector<llvm::StringRef> &B) {
  constexpr size_t Window = 200;
  std::vector<ScriptLine> Script;
  size_t I = 0, J = 0;
  auto Take = [&](size_t Removed, size_t Added) {
    for (size_t K = 0; K < Removed; ++K)
      Script.push_back({'-', A[I++]});
    for (size_t K = 0; K < Added; ++K)
      Script.push_back({'+', B[J++]});
  };
  while (I < A.size() || J < B.size()) {
    if (I < A.size() && J < B.size() && A[I] == B[J]) {
      Script.push_back({' ', A[I]});
      ++I, ++J;
      continue;
    }
    bool Synced = false;
    for (size_t Skip = 1; Skip <= 2 * Window && !Synced; ++Skip)
      for (size_t Removed = 0; Removed <= Skip && !Synced; ++Removed) {
        size_t Added = Skip - Removed;
        size_t NI = I + Removed, NJ = J + Added;
        if (NI > A.size() || NJ > B.size())
          continue;
        bool BothEnd = NI == A.size() && NJ == B.size();
        if (BothEnd || (NI < A.size() && NJ < B.size() && A[NI] == B[NJ])) {
          Take(Removed, Added);
          Synced = true;
        }
      }
    if (!Synced)
      Take(A.size() - I, B.size() - J);
  }
  return Script;
}

} // namespace

std::string unifiedDiff(const FileChange &Change) {
  std::vector<ScriptLine> Script = editScript(linesOf(Change.Before), linesOf(Change.After));
  constexpr size_t Context = 3;
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << "--- " << Change.Path << "\n+++ " << Change.Path << "\n";
  size_t I = 0, OldLine = 1, NewLine = 1;
  while (I < Script.size()) {
    if (Script[I].Op == ' ') {
      ++I, ++OldLine, ++NewLine;
      continue;
    }
    // A hunk: from Context lines before this change to Context lines after the last change
    // that is no more than 2 * Context kept lines from the one before.
    size_t Begin = I - std::min(I, Context);
    size_t OldStart = OldLine - (I - Begin), NewStart = NewLine - (I - Begin);
    size_t End = I;
    for (size_t Kept = 0; End < Script.size() && Kept <= 2 * Context; ++End)
      Kept = Script[End].Op == ' ' ? Kept + 1 : 0;
    while (End > I && Script[End - 1].Op == ' ')
      --End;
    End = std::min(Script.size(), End + Context);
    size_t OldCount = 0, NewCount = 0;
    for (size_t J = Begin; J < End; ++J) {
      OldCount += Script[J].Op != '+';
      NewCount += Script[J].Op != '-';
    }
    OS << "@@ -" << OldStart << "," << OldCount << " +" << NewStart << "," << NewCount << " @@\n";
    for (size_t J = Begin; J < End; ++J) {
      OS << Script[J].Op << Script[J].Text;
      if (!Script[J].Text.endswith("\n"))
        OS << "\n\\ No newline at end of file\n";
    }
    for (size_t J = I; J < End; ++J) {
      OldLine += Script[J].Op != '+';
      NewLine += Script[J].Op != '-';
    }
    I = End;
  }
  return OS.str();
}

} // namespace saguard::fix
