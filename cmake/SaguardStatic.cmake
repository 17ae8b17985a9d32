# SAGUARD_STATIC: link the saguard executable with -static, so one binary runs on any x86-64
# Linux kernel with nothing else installed (an empty chroot, a FROM scratch image).
#
# On by default when every library the executable pulls in exists as an archive: LLVMSupport
# (already static, see CMakeLists.txt), zlib and terminfo (which LLVMSupport links) and the C
# library. Only the executable is static: the test programs keep the ordinary link.
#
# glibc warns that getpwnam/getpwuid (reached through llvm::sys::fs's `~` expansion and home
# directory lookup) need the NSS shared libraries at run time in a static binary. saguard never
# calls either path: it does not expand `~`, look up users or hosts, or dlopen anything, and
# posix_spawnp (helm, kubectl) needs no NSS. The release tests run the binary in an empty chroot
# to keep that true.
#
# The price: a static non-PIE executable registers its unwind tables through crtbeginT.o, so
# the first C++ exception of a run sorts them all (about 2 ms). Only CLI11's --help, --version
# and usage errors throw; a scan starts faster than the dynamic build, which pays for its
# shared libraries instead. (-static-pie would avoid the sort, but `file` calls that
# "static-pie linked", and such a link of saguard crashed at start on Debian 12.)

# saguard_archive(Out Name): the compiler's path of library archive Name, or empty.
function(saguard_archive Out Name)
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${Name}
                  OUTPUT_VARIABLE Path OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT IS_ABSOLUTE "${Path}" OR NOT EXISTS "${Path}")
    set(Path "")
  endif()
  set(${Out} "${Path}" PARENT_SCOPE)
endfunction()

function(saguard_static_libraries_found Out)
  set(Found ON)
  foreach(Archive libz.a libtinfo.a libc.a libstdc++.a)
    saguard_archive(Path ${Archive})
    if(NOT Path)
      message(STATUS "SAGUARD_STATIC: ${Archive} not found")
      set(Found OFF)
    endif()
  endforeach()
  if(NOT SAGUARD_LLVM_LINKAGE STREQUAL "static LLVMSupport")
    set(Found OFF)
  endif()
  set(${Out} ${Found} PARENT_SCOPE)
endfunction()

if(SAGUARD_SANITIZE OR SAGUARD_FUZZ)
  # The sanitizer runtimes need the dynamic loader: ASan refuses a static link.
  set(SAGUARD_STATIC OFF CACHE BOOL "Link the saguard executable fully statically" FORCE)
elseif(NOT DEFINED SAGUARD_STATIC)
  saguard_static_libraries_found(SaguardStaticDefault)
else()
  set(SaguardStaticDefault ${SAGUARD_STATIC})
endif()
option(SAGUARD_STATIC "Link the saguard executable fully statically" ${SaguardStaticDefault})

# Called once the saguard target exists.
function(saguard_link_statically Target)
  if(NOT SAGUARD_STATIC)
    message(STATUS "Linking ${Target} dynamically")
    return()
  endif()
  # LLVM's exported LLVMSupport names shared objects (libz.so through ZLIB::ZLIB, libtinfo.so,
  # and libz3.so, which LLVMSupport never calls), and -static refuses any .so on the command
  # line: give it the archives instead.
  saguard_archive(Zlib libz.a)
  saguard_archive(Tinfo libtinfo.a)
  set_target_properties(LLVMSupport PROPERTIES
    INTERFACE_LINK_LIBRARIES "rt;dl;m;${Zlib};${Tinfo};LLVMDemangle")
  target_link_options(${Target} PRIVATE -static)
  message(STATUS "Linking ${Target} statically")
endfunction()
