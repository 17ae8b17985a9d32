//===- ListItems.h - the items of a block List, found from its lines -*- C++ -*-===//
#pragma once

#include "saguard/model/PreScan.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <vector>

namespace saguard::model {

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

} // namespace saguard::model
