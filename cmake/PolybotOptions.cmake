# Warnings and sanitizers through one interface target; every polybot target links polybot_options.
add_library(polybot_options INTERFACE)
add_library(polybot::options ALIAS polybot_options)

target_compile_options(polybot_options INTERFACE -Wall -Wextra -Wpedantic)
# GCC 12 reports false -Wrestrict (and related) warnings inside libstdc++'s std::string operator+ at -O2/-O3
# (GCC bug 105329); they are not in our code, so they are not allowed to break -Werror builds.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(polybot_options INTERFACE -Wno-restrict)
endif()
if(POLYBOT_WERROR)
  target_compile_options(polybot_options INTERFACE -Werror)
endif()
if(POLYBOT_SANITIZE_ADDRESS)
  target_compile_options(polybot_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                   -fno-sanitize-recover=undefined)
  target_link_options(polybot_options INTERFACE -fsanitize=address,undefined)
endif()
if(POLYBOT_SANITIZE_THREAD)
  target_compile_options(polybot_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(polybot_options INTERFACE -fsanitize=thread)
endif()
# Instruction set. simdjson's On-Demand front end (the feed parsers' walk over the structural index) is compiled
# into our objects for the best kernel the *compile flags* allow: with SSE4.2 only it is the `westmere` one, with
# AVX2+BMI the `haswell` one (stage 1 is picked at run time either way). Measured on the 2-core Cascade Lake VM:
# price_change parse p50 325-335 ns -> 301-311 ns (bench/RESULTS.md). POLYBOT_ARCH:
#   auto      x86-64-v3 (AVX2, BMI1/2, LZCNT, MOVBE, FMA) + PCLMUL when the build machine runs it, else generic
#   x86-64-v3 / native   that -march (native: only for the machine that builds)
#   generic   SSE4.2 + PCLMUL (every x86-64 server since ~2010)
# CRC32C needs SSE4.2 in every mode. -ffp-contract=off in every mode: an FMA-capable build must compute the
# indicators' doubles exactly as a generic one, so a journal replays bit for bit on either.
set(POLYBOT_ARCH "auto" CACHE STRING "Instruction set: auto | x86-64-v3 | native | generic")
set_property(CACHE POLYBOT_ARCH PROPERTY STRINGS auto x86-64-v3 native generic)
target_compile_options(polybot_options INTERFACE -ffp-contract=off)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  set(_polybot_arch "${POLYBOT_ARCH}")
  if(_polybot_arch STREQUAL "auto")
    include(CheckCXXSourceRuns)
    set(CMAKE_REQUIRED_FLAGS "-march=x86-64-v3 -mpclmul")
    set(CMAKE_REQUIRED_QUIET ON)
    check_cxx_source_runs([=[
      int main() {
        __builtin_cpu_init();
        // (clang 14 has no "movbe" feature string; every AVX2 + BMI2 CPU has MOVBE.)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("pclmul") &&
                       __builtin_cpu_supports("fma") ? 0 : 1;
      }]=] POLYBOT_HOST_RUNS_X86_64_V3)
    unset(CMAKE_REQUIRED_FLAGS)
    unset(CMAKE_REQUIRED_QUIET)
    set(_polybot_arch generic)
    if(POLYBOT_HOST_RUNS_X86_64_V3)
      set(_polybot_arch x86-64-v3)
    endif()
  endif()
  if(_polybot_arch STREQUAL "x86-64-v3")
    target_compile_options(polybot_options INTERFACE -march=x86-64-v3 -msse4.2 -mpclmul)
  elseif(_polybot_arch STREQUAL "native")
    target_compile_options(polybot_options INTERFACE -march=native -msse4.2 -mpclmul)
  elseif(_polybot_arch STREQUAL "generic")
    target_compile_options(polybot_options INTERFACE -msse4.2 -mpclmul)
  else()
    message(FATAL_ERROR "POLYBOT_ARCH='${POLYBOT_ARCH}': expected auto, x86-64-v3, native or generic")
  endif()
  message(STATUS "polybot: instruction set ${_polybot_arch} (POLYBOT_ARCH=${POLYBOT_ARCH})")

  # Skylake-family cores (Skylake to Cascade Lake) with the JCC-erratum microcode cannot cache a jump that crosses
  # or ends on a 32-byte boundary in the decoded-uop cache, so such code runs from the slow legacy decoders and its
  # speed depends on where the linker happened to put it (the feed parser moved 300 <-> 330 ns with unrelated
  # changes). Padding branches off those boundaries makes it fast and stable: price_change 327 -> 305 ns, 20x20 book
  # 2.67 -> 2.43 us, bookTicker 293 -> 278 ns on the 2-core Cascade Lake VM (bench/RESULTS.md). Costs a little code
  # size on cores without the erratum.
  option(POLYBOT_JCC_ALIGN "Keep branches off 32-byte boundaries (JCC erratum, Skylake-family cores)" ON)
  if(POLYBOT_JCC_ALIGN)
    # GCC hands it to GNU as; clang's integrated assembler takes it as a driver flag.
    include(CheckCXXCompilerFlag)
    check_cxx_compiler_flag("-Wa,-mbranches-within-32B-boundaries" POLYBOT_HAS_JCC_ALIGN_AS)
    check_cxx_compiler_flag("-mbranches-within-32B-boundaries" POLYBOT_HAS_JCC_ALIGN_DRIVER)
    if(POLYBOT_HAS_JCC_ALIGN_AS)
      target_compile_options(polybot_options INTERFACE "-Wa,-mbranches-within-32B-boundaries")
    elseif(POLYBOT_HAS_JCC_ALIGN_DRIVER)
      target_compile_options(polybot_options INTERFACE "-mbranches-within-32B-boundaries")
    endif()
  endif()
endif()

# polybot_add_stage(NAME DIR [DEPS ...]): one static library per stage folder, sources globbed from the folder
# (recursively), exported as polybot::NAME.
function(polybot_add_stage name)
  cmake_parse_arguments(ARG "" "" "DEPS;EXCLUDE" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  foreach(pattern IN LISTS ARG_EXCLUDE)
    list(FILTER srcs EXCLUDE REGEX "${pattern}")
  endforeach()
  if(srcs)
    add_library(polybot_${name} STATIC ${srcs})
    target_include_directories(polybot_${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(polybot_${name} PUBLIC polybot::options ${ARG_DEPS})
  else()
    add_library(polybot_${name} INTERFACE)
    target_include_directories(polybot_${name} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(polybot_${name} INTERFACE polybot::options ${ARG_DEPS})
  endif()
  add_library(polybot::${name} ALIAS polybot_${name})
endfunction()

# polybot_add_test(NAME SOURCES ... LIBS ... LABELS ... [TIMEOUT s]): one gtest executable registered with ctest.
function(polybot_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main polybot::options)
  target_compile_definitions(${name} PRIVATE POLYBOT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                             POLYBOT_BINARY_DIR="${PROJECT_BINARY_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
                                          WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()
