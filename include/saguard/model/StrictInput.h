//===- StrictInput.h - one strict parse of a document for YAML I/O -*- C++ -*-===//
//
// yaml::Input parses a document into a tree of its own (a StringMap per mapping) and warns once
// per key no trait asked for; a strict check of what Kubernetes rejects and Input accepts needs
// a walk of its own on top. StrictInput does both in one yaml::Stream walk, with an explicit
// stack, and serves MappingTraits from the nodes it kept.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"
#include "llvm/Support/YAMLTraits.h"

#include <memory>
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
  FirstParseError(const FirstParseError &) = delete;
  FirstParseError &operator=(const FirstParseError &) = delete;
  /// The error, if the parser reported one.
  const std::optional<ShapeError> &get() const { return First; }

private:
  llvm::StringRef Text;
  std::optional<ShapeError> First;
};

/// Reads the first document of a text for YAML I/O (reading only: outputting() is false).
///
/// The constructor walks every node once and keeps, per collection, its entries in an arena:
/// mappings as (key, value) pairs in document order, sequences as their items. The walk
/// rejects, as Kubernetes' strict decoding does, a key written twice in one mapping, a complex
/// (`? `) or empty key, an alias (resolve them first), and nesting deeper than a bound; the
/// parser's own first error is kept as well. Unknown keys are never diagnosed: the model reads
/// only some keys.
///
/// Unlike yaml::Input, an error does not poison later reads for good: clearMappingError() lets
/// the items of a List be mapped one by one, each failing on its own.
class StrictInput : public llvm::yaml::IO {
public:
  /// Walks the first document of Text (which must outlive this object); Context is what
  /// getContext() returns to the traits.
  StrictInput(llvm::StringRef Text, void *Context, unsigned MaxDepth);
  ~StrictInput() override;
  StrictInput(const StrictInput &) = delete;
  StrictInput &operator=(const StrictInput &) = delete;

  /// The first problem of the text itself (parser or strict check): the document must not be
  /// mapped then. Parser messages start with "invalid document: ".
  const std::optional<ShapeError> &shapeError() const { return Shape; }

  /// Checks that nothing but comments follows the first document's root (`{a: 1} {b: 2}`, or a
  /// document marker the splitter did not see, would otherwise be dropped without a word), and
  /// returns shapeError() afterwards. It frees the nodes: call it after mapping.
  const std::optional<ShapeError> &checkEnd();

  /// The first error a trait set (setError) or a read of the wrong node kind caused, at the
  /// node being read then; the message is YAML I/O's own ("not a mapping", ...).
  const std::optional<ShapeError> &mappingError() const { return Mapping; }
  void clearMappingError() { Mapping.reset(); }

  /// The node being read: the root after construction (null when the document has none).
  const llvm::yaml::Node *getCurrentNode() const;

  // llvm::yaml::IO, for reading.
  bool outputting() const override { return false; }
  bool mapTag(llvm::StringRef Tag, bool Default) override;
  void beginMapping() override {}
  void endMapping() override {}
  bool preflightKey(const char *Key, bool Required, bool SameAsDefault, bool &UseDefault,
                    void *&SaveInfo) override;
  void postflightKey(void *SaveInfo) override;
  std::vector<llvm::StringRef> keys() override;
  void beginFlowMapping() override {}
  void endFlowMapping() override {}
  unsigned beginSequence() override;
  bool preflightElement(unsigned Index, void *&SaveInfo) override;
  void postflightElement(void *SaveInfo) override;
  void endSequence() override {}
  bool canElideEmptySequence() override { return false; }
  unsigned beginFlowSequence() override { return beginSequence(); }
  bool preflightFlowElement(unsigned Index, void *&SaveInfo) override {
    return preflightElement(Index, SaveInfo);
  }
  void postflightFlowElement(void *SaveInfo) override { postflightElement(SaveInfo); }
  void endFlowSequence() override {}
  void beginEnumScalar() override { EnumMatched = false; }
  bool matchEnumScalar(const char *Value, bool) override;
  bool matchEnumFallback() override;
  void endEnumScalar() override;
  bool beginBitSetScalar(bool &DoClear) override;
  bool bitSetMatch(const char *Value, bool) override;
  void endBitSetScalar() override;
  void scalarString(llvm::StringRef &Value, llvm::yaml::QuotingType) override;
  void blockScalarString(llvm::StringRef &Value) override;
  void scalarTag(std::string &Tag) override;
  llvm::yaml::NodeKind getNodeKind() override;
  void setError(const llvm::Twine &Message) override;

  /// A node of the document as kept by the walk (public for the walk's helpers only).
  struct TreeNode;

private:
  class Walker;
  friend class Walker;

  /// A parser error, if any, replaces the shape error: it explains the rest.
  void notedParseError();
  size_t offsetOf(const llvm::yaml::Node *N) const;
  void fail(const TreeNode *N, const llvm::Twine &Message);
  /// The scalar value of N (unescaped; kept in the arena when it had to be rewritten).
  std::optional<llvm::StringRef> scalarValue(const TreeNode *N);

  llvm::StringRef Text;
  llvm::SourceMgr SM;
  FirstParseError ParseErrors;
  std::unique_ptr<llvm::yaml::Stream> Stream;
  llvm::yaml::document_iterator Doc;
  llvm::BumpPtrAllocator Arena;
  TreeNode *Root = nullptr;
  TreeNode *Current = nullptr;
  std::optional<ShapeError> Shape;
  std::optional<ShapeError> Mapping;
  bool Ended = false;
  bool EnumMatched = false;
  std::vector<bool> BitsUsed;
};

/// Every strict check of StrictInput on Text's first document, and checkEnd(): the first
/// problem, if any.
std::optional<ShapeError> checkDocument(llvm::StringRef Text, unsigned MaxDepth);

} // namespace saguard::model
