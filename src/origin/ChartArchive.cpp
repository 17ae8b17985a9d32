//===- ChartArchive.cpp - the files of a packaged chart (`charts/x.tgz`) ----------------------===//
//
// zlib (which LLVM's Support library links already) undoes the gzip layer; the tar layer is
// 512-byte ustar headers, each followed by its member's bytes padded to 512. Go's archive/tar,
// which helm uses, writes PAX (`x`) and GNU long-name (`L`) records for names over 100 bytes.
//
#include "ChartArchive.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <zlib.h>

namespace saguard::origin {

namespace {

/// Charts are kilobytes; an archive that inflates past this is not read (a zip bomb).
constexpr size_t MaxInflatedBytes = 64u << 20;
constexpr size_t Block = 512;

std::optional<std::string> gunzip(const std::string &Bytes) {
  z_stream Z{};
  if (inflateInit2(&Z, 16 + MAX_WBITS) != Z_OK)
    return std::nullopt;
  Z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(Bytes.data()));
  Z.avail_in = static_cast<uInt>(Bytes.size());
  std::string Out;
  int Status = Z_OK;
  while (Status == Z_OK) {
    if (Out.size() >= MaxInflatedBytes) {
      inflateEnd(&Z);
      return std::nullopt;
    }
    size_t Had = Out.size();
    Out.resize(Had + (64u << 10));
    Z.next_out = reinterpret_cast<Bytef *>(Out.data() + Had);
    Z.avail_out = 64u << 10;
    Status = inflate(&Z, Z_NO_FLUSH);
    Out.resize(Out.size() - Z.avail_out);
    if (Status == Z_BUF_ERROR && Z.avail_in == 0)
      break; // truncated input
  }
  inflateEnd(&Z);
  if (Status != Z_STREAM_END)
    return std::nullopt;
  return Out;
}

/// A NUL-terminated (or full-width) field of a header.
llvm::StringRef field(llvm::StringRef Header, size_t At, size_t Width) {
  llvm::StringRef F = Header.substr(At, Width);
  return F.take_until([](char C) { return C == '\0'; });
}

/// The `path=` record of a PAX extended header (`<len> path=<name>\n`), if any.
std::optional<std::string> paxPath(llvm::StringRef Records) {
  while (!Records.empty()) {
    auto [Len, Rest] = Records.split(' ');
    size_t N;
    if (Len.getAsInteger(10, N) || N <= Len.size() || N > Records.size())
      return std::nullopt;
    llvm::StringRef Record = Records.substr(Len.size() + 1, N - Len.size() - 1).rtrim('\n');
    if (Record.consume_front("path="))
      return Record.str();
    Records = Records.substr(N);
  }
  return std::nullopt;
}

} // namespace

std::optional<std::map<std::string, std::string>> readChartArchiveBytes(const std::string &Bytes) {
  std::optional<std::string> Tar = gunzip(Bytes);
  if (!Tar)
    return std::nullopt;
  std::map<std::string, std::string> Members;
  llvm::StringRef All = *Tar;
  std::optional<std::string> LongName;
  for (size_t At = 0; At + Block <= All.size();) {
    llvm::StringRef Header = All.substr(At, Block);
    if (Header.find_first_not_of('\0') == llvm::StringRef::npos)
      break; // the end-of-archive blocks
    unsigned long long Size;
    if (field(Header, 124, 12).trim(" ").getAsInteger(8, Size) || Size > All.size())
      return std::nullopt;
    llvm::StringRef Data = All.substr(At + Block, Size);
    if (Data.size() != Size)
      return std::nullopt; // truncated
    char Type = Header[156];
    std::string Name = field(Header, 0, 100).str();
    if (llvm::StringRef Prefix = field(Header, 345, 155); !Prefix.empty())
      Name = Prefix.str() + "/" + Name;
    if (Type == 'x')
      LongName = paxPath(Data);
    else if (Type == 'L')
      LongName = Data.take_until([](char C) { return C == '\0'; }).str();
    else if (Type == '0' || Type == '\0') {
      Members[LongName ? *LongName : Name] = Data.str();
      LongName.reset();
    } else {
      LongName.reset();
    }
    At += Block + (Size + Block - 1) / Block * Block;
  }
  return Members;
}

std::optional<std::map<std::string, std::string>> readChartArchive(const std::string &Path) {
  uint64_t Size = 0;
  if (!llvm::sys::fs::is_regular_file(Path) || llvm::sys::fs::file_size(Path, Size) ||
      Size > MaxInflatedBytes)
    return std::nullopt;
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false);
  if (!Buffer)
    return std::nullopt;
  return readChartArchiveBytes((*Buffer)->getBuffer().str());
}

} // namespace saguard::origin
