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
# SSE4.2 for CRC32C and friends; every x86-64 server since 2008 has it.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  target_compile_options(polybot_options INTERFACE -msse4.2 -mpclmul)
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
