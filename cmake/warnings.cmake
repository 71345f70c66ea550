# Warning and sanitizer flags, as an INTERFACE target every project target links.
# -Wno-missing-field-initializers: designated initializers leave defaulted members out on
# purpose; GCC 12 would warn about every one of them.
add_library(archiver_warnings INTERFACE)
target_compile_options(archiver_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wno-missing-field-initializers -Wcast-align -Wunused -Woverloaded-virtual
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(ARCHIVER_WERROR)
  target_compile_options(archiver_warnings INTERFACE -Werror)
endif()
if(ARCHIVER_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ARCHIVER_FUZZ needs clang (libFuzzer): CXX=clang++-16 cmake ...")
  endif()
  # Coverage for libFuzzer everywhere, with ASan and UBSan to turn bugs into crashes. Clang 16
  # implements what libstdc++ 12's <expected> needs but still reports the older concepts
  # level, so <expected> is switched on by hand.
  target_compile_options(archiver_warnings INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=all -U__cpp_concepts -D__cpp_concepts=202002L
    -Wno-unknown-warning-option)
  target_link_options(archiver_warnings INTERFACE -fsanitize=address,undefined)
endif()
if(ARCHIVER_TSAN)
  # ThreadSanitizer does not model standalone fences; Asio's handler fences are redundant with
  # the locks its queues take, and are left out of this build (as Asio allows).
  target_compile_options(archiver_warnings INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_compile_definitions(archiver_warnings INTERFACE BOOST_ASIO_DISABLE_FENCED_BLOCK)
  target_link_options(archiver_warnings INTERFACE -fsanitize=thread)
endif()
if(ARCHIVER_SANITIZE)
  target_compile_options(archiver_warnings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(archiver_warnings INTERFACE -fsanitize=address,undefined)
endif()
