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
if(ARCHIVER_SANITIZE)
  target_compile_options(archiver_warnings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(archiver_warnings INTERFACE -fsanitize=address,undefined)
endif()
