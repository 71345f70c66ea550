# archiver_precompile(TARGET): cmake/precompiled.hpp as the target's precompiled header. For the
# targets of many files (the library, the test suites); one file's target would spend more on
# the header than it saves. -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON builds without it (what the
# fuzz build does, so that one build checks that every file of the library includes what it
# uses).
function(archiver_precompile target)
  target_precompile_headers(${target} PRIVATE ${PROJECT_SOURCE_DIR}/cmake/precompiled.hpp)
endfunction()
