//===- Uri.cpp - file paths to SARIF artifact URIs ------------------------===//
#include "Uri.h"

#include <cassert>
#include <vector>

namespace sarif {
namespace {

bool isAlpha(char C) { return (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z'); }
bool isDigit(char C) { return C >= '0' && C <= '9'; }

int hexValue(char C) {
  if (isDigit(C))
    return C - '0';
  if (C >= 'a' && C <= 'f')
    return C - 'a' + 10;
  if (C >= 'A' && C <= 'F')
    return C - 'A' + 10;
  return -1;
}

// GitHub cannot find "./a.yaml" or "a//b.yaml" in the repository ("Preview unavailable"), and
// one file must always get one URI, or its alerts are closed and reopened between analyses.
std::string normalisePath(std::string_view Path) {
  const bool Absolute = !Path.empty() && Path.front() == '/';
  std::vector<std::string_view> Segments;
  while (!Path.empty()) {
    std::size_t Slash = Path.find('/');
    std::string_view Segment = Path.substr(0, Slash);
    Path = Slash == std::string_view::npos ? std::string_view() : Path.substr(Slash + 1);
    if (Segment.empty() || Segment == ".")
      continue;
    if (Segment == ".." && !Segments.empty() && Segments.back() != "..") {
      Segments.pop_back();
      continue;
    }
    if (Segment == ".." && Absolute) // "/.." is "/"
      continue;
    Segments.push_back(Segment);
  }
  std::string Out = Absolute ? "/" : "";
  for (std::size_t I = 0; I < Segments.size(); ++I) {
    if (I)
      Out += '/';
    Out += Segments[I];
  }
  return Out;
}

// Keeps RFC 3986 unreserved characters, sub-delimiters, '@' and '/'; ':' is encoded so that a
// relative path never reads as a scheme.
std::string percentEncode(std::string_view Path) {
  constexpr std::string_view Kept = "-._~/!$&'()*+,;=@";
  constexpr std::string_view Hex = "0123456789ABCDEF";
  std::string Out;
  for (char C : Path) {
    if (isAlpha(C) || isDigit(C) || Kept.find(C) != std::string_view::npos) {
      Out += C;
      continue;
    }
    auto Byte = static_cast<unsigned char>(C);
    Out += '%';
    Out += Hex[Byte >> 4];
    Out += Hex[Byte & 0xF];
  }
  return Out;
}

} // namespace

bool hasScheme(std::string_view S) {
  std::size_t End = S.find("://");
  if (End == std::string_view::npos || End == 0 || !isAlpha(S.front()))
    return false;
  for (char C : S.substr(0, End))
    if (!isAlpha(C) && !isDigit(C) && C != '+' && C != '-' && C != '.')
      return false;
  return true;
}

std::string artifactUri(std::string_view PathOrUri) {
  if (hasScheme(PathOrUri))
    return std::string(PathOrUri);
  std::string Path = normalisePath(PathOrUri);
  if (!Path.empty() && Path.front() == '/')
    return "file://" + percentEncode(Path);
  return percentEncode(Path);
}

std::string directoryUri(std::string_view AbsoluteDir) {
  assert(!AbsoluteDir.empty() && AbsoluteDir.front() == '/' && "SrcRoot must be absolute");
  std::string Uri = "file://" + percentEncode(normalisePath(AbsoluteDir));
  if (Uri.back() != '/')
    Uri += '/';
  return Uri;
}

std::string uriToPath(std::string_view Uri) {
  if (hasScheme(Uri))
    return std::string(Uri);
  std::string Out;
  for (std::size_t I = 0; I < Uri.size(); ++I) {
    if (Uri[I] == '%' && I + 2 < Uri.size()) {
      int High = hexValue(Uri[I + 1]), Low = hexValue(Uri[I + 2]);
      if (High >= 0 && Low >= 0) {
        Out += static_cast<char>(High * 16 + Low);
        I += 2;
        continue;
      }
    }
    Out += Uri[I];
  }
  return Out;
}

} // namespace sarif
