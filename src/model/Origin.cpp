//===- Origin.cpp - kustomize origin annotation values --------------------===//
//
// The value is a YAML string written by kustomize itself, but it reaches us through the user's
// objects, so it is parsed with LLVM's YAML parser (never by hand) under a size bound that keeps
// the parser's recursion shallow.
//
//===----------------------------------------------------------------------===//
#include "saguard/model/Origin.h"

#include "saguard/support/Error.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <optional>

namespace saguard::model {

namespace {

/// Origin values are a few short lines; the bound also caps nesting far below what overflows
/// the parser's recursion.
constexpr size_t MaxOriginBytes = 4096;

/// The scalar value of N, or std::nullopt when N is not a scalar.
std::optional<std::string> scalarValue(llvm::yaml::Node *N) {
  if (auto *Block = llvm::dyn_cast_or_null<llvm::yaml::BlockScalarNode>(N))
    return Block->getValue().str();
  auto *S = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(N);
  if (!S)
    return std::nullopt;
  llvm::SmallString<128> Storage;
  return S->getValue(Storage).str();
}

} // namespace

llvm::Expected<KustomizeOrigin> parseOriginAnnotation(llvm::StringRef Value) {
  if (Value.size() > MaxOriginBytes)
    return makeError("origin annotation is longer than %zu bytes", MaxOriginBytes);

  llvm::SourceMgr SM;
  std::string Diagnostic;
  SM.setDiagHandler(
      [](const llvm::SMDiagnostic &D, void *Context) {
        auto *Out = static_cast<std::string *>(Context);
        if (Out->empty())
          *Out = D.getMessage().str();
      },
      &Diagnostic);

  KustomizeOrigin Origin;
  bool IsMapping = false;
  llvm::yaml::Stream Stream(Value, SM, /*ShowColors=*/false);
  for (llvm::yaml::Document &Doc : Stream) {
    auto *Root = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(Doc.getRoot());
    if (!Root || IsMapping) {
      // We must consume every node, or the parser asserts; then report the shape.
      Doc.skip();
      IsMapping = false;
      break;
    }
    IsMapping = true;
    for (llvm::yaml::KeyValueNode &KV : *Root) {
      std::optional<std::string> Key = scalarValue(KV.getKey());
      llvm::yaml::Node *Val = KV.getValue();
      if (Key && *Key == "configuredBy") {
        if (auto *By = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(Val)) {
          for (llvm::yaml::KeyValueNode &Field : *By) {
            std::optional<std::string> Name = scalarValue(Field.getKey());
            std::optional<std::string> Text = scalarValue(Field.getValue());
            if (Name && Text && *Name == "apiVersion")
              Origin.ConfiguredByApiVersion = *Text;
            else if (Name && Text && *Name == "kind")
              Origin.ConfiguredByKind = *Text;
            else if (Field.getValue())
              Field.getValue()->skip();
          }
          continue;
        }
      }
      std::optional<std::string> Text = Key ? scalarValue(Val) : std::nullopt;
      if (!Text) {
        if (Val)
          Val->skip();
        continue;
      }
      if (*Key == "path")
        Origin.Path = *Text;
      else if (*Key == "configuredIn")
        Origin.ConfiguredIn = *Text;
      else if (*Key == "repo")
        Origin.Repo = *Text;
      else if (*Key == "ref")
        Origin.Ref = *Text;
    }
  }
  if (Stream.failed())
    return makeError("origin annotation is not valid YAML: %s", Diagnostic.c_str());
  if (!IsMapping)
    return makeError("origin annotation is not a YAML mapping");
  return Origin;
}

} // namespace saguard::model
