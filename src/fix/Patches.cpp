//===- Patches.cpp - fixes as Kustomize strategic-merge patches -----------===//
#include "saguard/fix/Fixes.h"

#include "FixValues.h"

#include "saguard/support/YamlQuote.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

namespace saguard::fix {

using analysis::Finding;
using analysis::Fix;
using analysis::FixKind;

namespace {

struct ObjectPatch {
  model::ObjectRef Ref;
  Tree Fields;
};

} // namespace

PatchSet kustomizePatches(const std::vector<Finding> &Findings) {
  PatchSet Out;
  std::map<std::string, ObjectPatch> ByObject;
  for (const Finding &F : Findings) {
    if (F.Suppressed || F.Fixes.empty())
      continue;
    bool Patched = false;
    for (const Fix &Fx : F.Fixes) {
      std::string Value = valueOf(Fx);
      if (!Fx.InRender || Fx.KeyPath.empty() || Value.empty())
        continue;
      std::string Name = llvm::StringRef(F.Object.Kind).lower() + "-" +
                         (F.Object.Namespace.empty() ? "" : F.Object.Namespace + "-") +
                         F.Object.Name + ".yaml";
      ObjectPatch &P = ByObject[Name];
      P.Ref = F.Object;
      P.Fields.set(Fx.KeyPath, Value);
      Patched = true;
    }
    if (!Patched && llvm::any_of(F.Fixes, [](const Fix &Fx) { return Fx.InRender; }))
      Out.NotPatched.push_back(F.Message + " [" + F.RuleId + "]");
  }
  for (auto &[Name, P] : ByObject) {
    // The name identifies the object in the patch; the target selector picks it in the build.
    std::string Text = "# saguard: fixes for " + P.Ref.qualifiedName() + "\n";
    Text += "apiVersion: " + singleQuoted(P.Ref.ApiVersion) +
            "\nkind: " + singleQuoted(P.Ref.Kind) +
            "\nmetadata:\n  name: " + singleQuoted(P.Ref.Name) + "\n";
    P.Fields.write(Text, 0);
    Out.Files.push_back({Name, P.Ref, std::move(Text)});
  }
  return Out;
}

std::string kustomizationSnippet(const PatchSet &Patches, llvm::StringRef PathPrefix) {
  std::string Out = "# saguard: add these entries to the overlay's kustomization.yaml\npatches:\n";
  for (const PatchSet::Patch &P : Patches.Files)
    Out += "- path: " + singleQuoted((PathPrefix + P.FileName).str()) +
           "\n  target:\n    kind: " + singleQuoted(P.Object.Kind) +
           "\n    name: " + singleQuoted(P.Object.Name) + "\n";
  return Out;
}

llvm::Error writePatches(const PatchSet &Patches, const std::string &OutDir,
                         llvm::StringRef PathPrefix) {
  if (std::error_code EC = llvm::sys::fs::create_directories(OutDir))
    return llvm::createStringError(EC, "cannot create '%s': %s", OutDir.c_str(),
                                   EC.message().c_str());
  auto Write = [&](const std::string &Name, const std::string &Text) -> llvm::Error {
    llvm::SmallString<128> Path(OutDir);
    llvm::sys::path::append(Path, Name);
    if (llvm::Error E = llvm::writeToOutput(Path, [&](llvm::raw_ostream &OS) {
          OS << Text;
          return llvm::Error::success();
        }))
      return llvm::createStringError(std::errc::io_error, "cannot write '%s': %s", Path.c_str(),
                                     llvm::toString(std::move(E)).c_str());
    return llvm::Error::success();
  };
  for (const PatchSet::Patch &P : Patches.Files)
    if (llvm::Error E = Write(P.FileName, P.Text))
      return E;
  return Write("kustomization-patches.yaml", kustomizationSnippet(Patches, PathPrefix));
}

} // namespace saguard::fix
