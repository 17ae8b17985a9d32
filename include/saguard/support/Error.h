//===- Error.h - error values that carry a position -------------*- C++ -*-===//
#pragma once

#include "saguard/support/SourcePos.h"

#include "llvm/Support/Error.h"

#include <string>

namespace saguard {

/// An error about a place in the input: the loader's per-document problems travel as this.
class LocatedError : public llvm::ErrorInfo<LocatedError> {
public:
  static char ID;
  LocatedError(std::string Message, SourceRange Range)
      : Message(std::move(Message)), Range(Range) {}

  void log(llvm::raw_ostream &OS) const override { OS << Message; }
  std::error_code convertToErrorCode() const override {
    return std::make_error_code(std::errc::invalid_argument);
  }
  std::string message() const override { return Message; }
  SourceRange range() const { return Range; }

private:
  std::string Message;
  SourceRange Range;
};

/// Makes an llvm::Error from a formatted message (LLVM's createStringError with one errc).
template <typename... Ts> llvm::Error makeError(const char *Fmt, const Ts &...Vals) {
  return llvm::createStringError(std::errc::invalid_argument, Fmt, Vals...);
}

} // namespace saguard
