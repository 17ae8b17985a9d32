//===- LoadedDocuments.cpp - what the main pass loaded, for fix proofs ----===//
#include "saguard/fix/LoadedDocuments.h"

#include <algorithm>
#include <cstdint>

namespace saguard::fix {

void appendRefs(const model::ObjectRef &Ref, std::string &Out) {
  // Each field with its length first, so no two different identities encode alike.
  for (const std::string *Field : {&Ref.ApiVersion, &Ref.Kind, &Ref.Namespace, &Ref.Name}) {
    auto Size = static_cast<uint32_t>(Field->size());
    Out.append(reinterpret_cast<const char *>(&Size), sizeof(Size));
    Out.append(*Field);
  }
}

std::function<void(const model::DocumentLoaded &)>
LoadedDocuments::recorder(std::string DefaultNamespace) {
  unsigned Namespace;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Namespace = static_cast<unsigned>(Namespaces.size());
    Namespaces.push_back(std::move(DefaultNamespace));
  }
  return [this, Namespace](const model::DocumentLoaded &D) {
    // Nearly every fix sets a field of a pod spec; the few of other documents (small ones:
    // ServiceAccounts) load them again, so runs without pod rules record nothing.
    bool PodSpecs = false;
    for (size_t I = D.FirstObject; I < D.Result.Objects.size(); ++I)
      PodSpecs = PodSpecs || D.Result.Objects[I].carriesAny({model::ModelPart::PodSpecs});
    if (D.Doc.Stream == 0 || D.Skipped != 0 || !PodSpecs)
      return;
    std::lock_guard<std::mutex> Guard(Lock);
    Record R{D.Doc.Stream, D.Doc.FirstLine, Namespace, D.Errors, D.Doc.Text.size(), Refs.size()};
    for (size_t I = D.FirstObject; I < D.Result.Objects.size(); ++I)
      appendRefs(D.Result.Objects[I].Ref, Refs);
    R.RefsEnd = Refs.size();
    if (!Records.empty() && std::tie(Records.back().Stream, Records.back().FirstLine) >=
                                std::tie(R.Stream, R.FirstLine))
      Sorted = false;
    Records.push_back(R);
  };
}

std::optional<LoadedDocuments::Document> LoadedDocuments::find(FileId Stream,
                                                               unsigned FirstLine) const {
  auto Key = [](const Record &R) { return std::make_pair(R.Stream, R.FirstLine); };
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (!Sorted)
      std::stable_sort(Records.begin(), Records.end(),
                       [&](const Record &A, const Record &B) { return Key(A) < Key(B); });
    Sorted = true;
  }
  auto It = std::lower_bound(Records.begin(), Records.end(), std::make_pair(Stream, FirstLine),
                             [&](const Record &R, const auto &K) { return Key(R) < K; });
  // A file read twice (named by two targets) was recorded twice: a second record that differs
  // from the first leaves nothing certain.
  if (It == Records.end() || Key(*It) != std::make_pair(Stream, FirstLine))
    return std::nullopt;
  for (auto Next = std::next(It); Next != Records.end() && Key(*Next) == Key(*It); ++Next)
    if (Next->Errors != It->Errors || Next->TextBytes != It->TextBytes ||
        Namespaces[Next->Namespace] != Namespaces[It->Namespace] ||
        llvm::StringRef(Refs).slice(Next->RefsBegin, Next->RefsEnd) !=
            llvm::StringRef(Refs).slice(It->RefsBegin, It->RefsEnd))
      return std::nullopt;
  return Document{llvm::StringRef(Refs).slice(It->RefsBegin, It->RefsEnd), It->Errors,
                  Namespaces[It->Namespace], It->TextBytes};
}

} // namespace saguard::fix
