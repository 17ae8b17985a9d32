//===- PermissionsImpl.h - the printers of `saguard permissions` (internal) -*- C++ -*-===//
#pragma once

#include "ReportImpl.h"

#include "saguard/report/Permissions.h"

namespace saguard::report::detail {

/// Places for the files of Data (ReportData carries what Places needs).
Places permissionPlaces(const PermissionsData &Data);

void writePermissionsText(const PermissionsData &Data, llvm::raw_ostream &OS);
void writePermissionsJson(const PermissionsData &Data, llvm::raw_ostream &OS);
void writePermissionsDot(const PermissionsData &Data, llvm::raw_ostream &OS);
void writePermissionsMermaid(const PermissionsData &Data, llvm::raw_ostream &OS);

} // namespace saguard::report::detail
