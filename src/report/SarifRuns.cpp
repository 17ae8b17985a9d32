//===- SarifRuns.cpp - one SARIF run per analysed set ---------------------===//
#include "saguard/report/SarifReport.h"

namespace saguard::report {

ReportData sliceOf(const ReportData &Data, const RunSlice &Slice, bool WithFindings) {
  ReportData Part;
  if (WithFindings)
    Part.Findings.assign(Data.Findings.begin() + Slice.FindingsBegin,
                         Data.Findings.begin() + Slice.FindingsEnd);
  Part.Errors.assign(Data.Errors.begin() + Slice.ErrorsBegin,
                     Data.Errors.begin() + Slice.ErrorsEnd);
  if (WithFindings && Data.Baseline.size() >= Slice.FindingsEnd)
    Part.Baseline.assign(Data.Baseline.begin() + Slice.FindingsBegin,
                         Data.Baseline.begin() + Slice.FindingsEnd);
  Part.Files = Data.Files;
  Part.Rules = Data.Rules;
  Part.SrcRoot = Data.SrcRoot;
  Part.AutomationId = Slice.AutomationId;
  Part.ClusterAutomountDefault = Data.ClusterAutomountDefault;
  Part.ToolVersion = Data.ToolVersion;
  for (std::size_t I : Slice.Targets)
    if (I < Data.TargetList.size()) {
      Part.TargetList.push_back(Data.TargetList[I]);
      Part.Targets.push_back(Data.TargetList[I].Path);
    }
  // Absent baseline results carry the run they were in: keep those of this one.
  for (const sarif::Result &R : Data.Absent)
    if (R.Properties.is_object() && R.Properties.value("saguardRun", "") == Slice.AutomationId) {
      Part.Absent.push_back(R);
      Part.Absent.back().Properties.erase("saguardRun");
    }
  return Part;
}


} // namespace saguard::report
