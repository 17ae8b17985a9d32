//===- Values.cpp - fixes of a chart as a values override ----------------===//
#include "saguard/fix/Fixes.h"

#include "BlockText.h"
#include "FixValues.h"

#include "llvm/Support/MemoryBuffer.h"

#include <map>

namespace saguard::fix {

namespace {

/// The values key a values note names (`value serviceAccount.automount in values.yaml`), when
/// no --set overrides it.
std::optional<std::string> notedValuesKey(const analysis::Note &N) {
  llvm::StringRef M(N.Message);
  if (!M.consume_front("value ") || M.contains("overridden by --set"))
    return std::nullopt;
  return M.split(" in ").first.str();
}

} // namespace

ValuesOverride chartValuesOverride(const std::vector<analysis::Finding> &Findings,
                                   const FileTable &Files) {
  ValuesOverride Out;
  Tree Values;
  std::map<std::string, std::string> Set;
  for (const analysis::Finding &F : Findings) {
    if (F.Suppressed)
      continue;
    std::string Value;
    for (const analysis::Fix &Fx : F.Fixes)
      if (Fx.InRender && Value.empty())
        Value = valueOf(Fx);
    if (Value.empty())
      continue;
    const std::string &Template = Files.path(F.Primary.File);
    std::vector<std::string> Keys;
    for (const analysis::Note &N : F.Related)
      if (std::optional<std::string> Key = notedValuesKey(N))
        Keys.push_back(*Key);
    // The deciding line must set the automount field from that one key, and nothing else.
    bool Knob = false;
    if (Keys.size() == 1)
      if (auto Buffer = llvm::MemoryBuffer::getFile(Template)) {
        llvm::StringRef Line = BlockText((*Buffer)->getBuffer()).line(F.Primary.Begin.Line);
        Knob = Line.ltrim().startswith("automountServiceAccountToken:") &&
               Line.contains(".Values." + Keys[0]);
      }
    auto NeedsTemplateChange = [&] {
      Out.NeedsTemplateChange.push_back(Template + ":" + std::to_string(F.Primary.Begin.Line) +
                                        ": " + F.Message + " [" + F.RuleId + "]");
    };
    if (!Knob) {
      NeedsTemplateChange();
      continue;
    }
    auto [It, New] = Set.try_emplace(Keys[0], Value);
    if (!New && It->second != Value) {
      NeedsTemplateChange(); // two findings want the key both ways
      continue;
    }
    Out.Fixed.push_back(Keys[0] + ": " + F.Message + " [" + F.RuleId + "]");
    if (New) {
      Values.set(Keys[0], Value);
      Out.Keys.push_back(Keys[0] + ": " + Value);
    }
  }
  Values.write(Out.Yaml, 0);
  return Out;
}

} // namespace saguard::fix
