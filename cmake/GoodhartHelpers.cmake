# goodhart_library / goodhart_test / goodhart_binary: one place for warnings, sanitizers and labels.

set(GOODHART_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wconversion
    -Wno-sign-conversion -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 false positives inside <regex> and std::optional (clang has no such warning).
  list(APPEND GOODHART_WARNINGS -Wno-maybe-uninitialized)
endif()
if(GOODHART_WERROR)
  list(APPEND GOODHART_WARNINGS -Werror)
endif()

if(GOODHART_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "GOODHART_FUZZ needs clang (libFuzzer): see docs/fuzzing.md")
  endif()
  # Coverage feedback for libFuzzer in every library; the fuzz binaries link libFuzzer itself.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(GOODHART_SANITIZE)
  set(_goodhart_sanitizers ${GOODHART_SANITIZE})
  if(GOODHART_SANITIZE MATCHES "undefined")
    # GCC's -fsanitize=undefined leaves out float-to-integer overflow (clang's includes it).
    string(APPEND _goodhart_sanitizers ",float-cast-overflow")
  endif()
  # -g1 (line tables, no variable info): a sanitizer report still names function, file and line,
  # and the build needs far less disk than with -g (a full-debug ASan build filled a CI disk).
  # -pipe: no assembler files in /tmp.
  add_compile_options(-fsanitize=${_goodhart_sanitizers} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -g1 -pipe)
  add_link_options(-fsanitize=${_goodhart_sanitizers})
endif()

function(_goodhart_common target)
  target_compile_options(${target} PRIVATE ${GOODHART_WARNINGS})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
endfunction()

# goodhart_library(NAME n [HDRS ...] SRCS ... [DEPS ...])  ->  target goodhart_n, alias goodhart::n
function(goodhart_library)
  cmake_parse_arguments(GL "" "NAME" "HDRS;SRCS;DEPS" ${ARGN})
  if(GL_SRCS)
    add_library(goodhart_${GL_NAME} STATIC ${GL_SRCS} ${GL_HDRS})
    _goodhart_common(goodhart_${GL_NAME})
    target_link_libraries(goodhart_${GL_NAME} PUBLIC ${GL_DEPS})
  else()
    add_library(goodhart_${GL_NAME} INTERFACE)
    target_include_directories(goodhart_${GL_NAME} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(goodhart_${GL_NAME} INTERFACE ${GL_DEPS})
  endif()
  add_library(goodhart::${GL_NAME} ALIAS goodhart_${GL_NAME})
endfunction()

# goodhart_test(NAME n SRCS ... [DEPS ...] [LABELS ...])
# Each test binary gets GOODHART_TESTDATA_DIR (its folder's testdata/) and
# GOODHART_CORPORA_DIR (../shared/corpora next to the repository).
function(goodhart_test)
  if(NOT GOODHART_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(GT "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${GT_NAME} ${GT_SRCS})
  _goodhart_common(${GT_NAME})
  target_link_libraries(${GT_NAME} PRIVATE ${GT_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_definitions(${GT_NAME} PRIVATE
    GOODHART_TESTDATA_DIR="${CMAKE_CURRENT_SOURCE_DIR}/testdata"
    GOODHART_CORPORA_DIR="${GOODHART_CORPORA_DIR}"
    GOODHART_BINARY="$<TARGET_FILE_DIR:goodhart>/goodhart")
  if(NOT GT_LABELS)
    set(GT_LABELS unit)
  endif()
  gtest_discover_tests(${GT_NAME} PROPERTIES LABELS "${GT_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()

# goodhart_fuzzer(NAME n SRCS ... [DEPS ...] CORPUS path...)
# A fuzz target: SRCS define LLVMFuzzerTestOneInput. With GOODHART_FUZZ, a libFuzzer binary
# (scripts/fuzz.sh runs it). Otherwise, when tests are built, the same code with a main that
# replays every file below the CORPUS paths (relative to the calling folder, or absolute), run by
# ctest as test `n` (label `fuzz`): the seed inputs and every input fuzzing once found must pass.
function(goodhart_fuzzer)
  cmake_parse_arguments(GF "" "NAME" "SRCS;DEPS;CORPUS" ${ARGN})
  set(_paths "")
  foreach(_path ${GF_CORPUS})
    get_filename_component(_abs "${_path}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND _paths "${_abs}")
  endforeach()
  if(GOODHART_FUZZ)
    add_executable(${GF_NAME} ${GF_SRCS})
    target_link_options(${GF_NAME} PRIVATE -fsanitize=fuzzer)
    # scripts/fuzz.sh reads the target's binary and seed paths from here.
    list(JOIN _paths "\n" _lines)
    file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/fuzzers/${GF_NAME}.seeds"
         CONTENT "$<TARGET_FILE:${GF_NAME}>\n${_lines}\n")
  elseif(GOODHART_BUILD_TESTS)
    add_executable(${GF_NAME} ${GF_SRCS}
                   ${PROJECT_SOURCE_DIR}/goodhart/base/testing/fuzz_replay_main.cc)
    add_test(NAME ${GF_NAME} COMMAND ${GF_NAME} ${_paths})
    set_tests_properties(${GF_NAME} PROPERTIES LABELS fuzz)
  else()
    return()
  endif()
  _goodhart_common(${GF_NAME})
  target_link_libraries(${GF_NAME} PRIVATE ${GF_DEPS})
endfunction()

get_filename_component(_corpora "${PROJECT_SOURCE_DIR}/../shared/corpora" ABSOLUTE)
set(GOODHART_CORPORA_DIR "${_corpora}" CACHE PATH "Folder of third-party test corpora")
