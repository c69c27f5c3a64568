# goodhart_library / goodhart_test / goodhart_binary: one place for warnings, sanitizers and labels.

set(GOODHART_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wconversion
    -Wno-sign-conversion -Wno-missing-field-initializers
    -Wno-maybe-uninitialized)  # GCC 12 false positives inside <regex> and std::optional
if(GOODHART_WERROR)
  list(APPEND GOODHART_WARNINGS -Werror)
endif()

if(GOODHART_SANITIZE)
  add_compile_options(-fsanitize=${GOODHART_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${GOODHART_SANITIZE})
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

get_filename_component(_corpora "${PROJECT_SOURCE_DIR}/../shared/corpora" ABSOLUTE)
set(GOODHART_CORPORA_DIR "${_corpora}" CACHE PATH "Folder of third-party test corpora")
