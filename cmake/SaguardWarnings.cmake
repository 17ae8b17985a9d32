# Warnings for saguard's own targets. -Werror=unused-result matters: Debian's LLVM 14 is built
# without LLVM_ENABLE_ABI_BREAKING_CHECKS, so an ignored llvm::Error is only caught at compile time.
function(saguard_warnings Target)
  target_compile_options(${Target} PRIVATE -Wall -Wextra -Wno-unused-parameter
                         -Werror=unused-result -Werror=return-type)
endfunction()
