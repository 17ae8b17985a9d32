//===- DocumentShape.h - strict checks and List items of a document -*- C++ -*-===//
#pragma once

#include "saguard/model/PreScan.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SourceMgr.h"

#include <optional>
#include <string>
#include <vector>

namespace saguard::model {

/// A problem of the document at a byte offset of its text.
struct ShapeError {
  size_t Offset = 0;
  std::string Message;
};

/// Collects the first error a yaml::Stream reports on Text (LLVM's default printer would quote
/// the whole source line, megabytes for a minified document).
class FirstParseError {
public:
  /// Installs the collector on SM, which parses Text; it must outlive the parse.
  FirstParseError(llvm::SourceMgr &SM, llvm::StringRef Text);
  /// The error, if the parser reported one.
  std::optional<ShapeError> get() const;

private:
  llvm::StringRef Text;
  std::optional<ShapeError> First;
};

/// What one walk over a document's nodes learned.
struct DocumentShape {
  /// The first problem, if any: not YAML, a key written twice in one mapping, a complex key, a
  /// second root node or document, or `items` of a List that is no list.
  std::optional<ShapeError> Error;
  /// The root is a `kind: List` (or `kind: <Kind>List`).
  bool IsList = false;
  /// The text of each item of a List's `items`, in order.
  std::vector<TextRange> Items;
};

/// A block-style `items:` key at the root, as kubectl writes a List: the text of its value and
/// of each `- ` item, found from lines alone.
struct BlockItems {
  TextRange Value;
  std::vector<TextRange> Items;
};

/// The block-style items of Text, if its root has `items:` on a line of its own followed by
/// `- ` entries; a List's items can then be checked and loaded one by one without ever parsing
/// the whole List, so memory stays that of one item. A line at the items' indentation can only
/// start a new item or end the list (deeper lines, and block scalars, belong to the item), so a
/// wrong cut can only make an item fail to parse, never hide one.
std::optional<BlockItems> findBlockItems(llvm::StringRef Text);

/// Walks the nodes of Text (which holds no aliases) with yaml::Stream and an explicit stack,
/// for what Kubernetes' strict decoding rejects and YAML I/O accepts silently (the last of two
/// equal keys wins; a second root is never read), and finds the items of a List so that each
/// can be loaded on its own: one bad item then costs only itself, and no item's nodes are held
/// while the others load.
DocumentShape checkShape(llvm::StringRef Text);

} // namespace saguard::model
