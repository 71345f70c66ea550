# Runs during `cmake --install` and CPack (cmake/install.cmake sets ARCHIVER_SOURCE_DIR,
# ARCHIVER_BINARY_DIR, ARCHIVER_BINDIR and ARCHIVER_DOCDIR): installs the example config and the
# systemd units for the prefix of this install, which `--prefix P` or CPack may have changed
# since configuring. The units name the binary and the config file where this install puts them.
include("${ARCHIVER_SOURCE_DIR}/cmake/layout.cmake")
archiver_layout("${CMAKE_INSTALL_PREFIX}" "${ARCHIVER_BINDIR}" "${ARCHIVER_DOCDIR}")

file(INSTALL DESTINATION "${ARCHIVER_SYSCONFDIR}/archiver" TYPE FILE
  FILES "${ARCHIVER_SOURCE_DIR}/config/archiver.toml")

# One staging folder per destination, so that installs into different places (the tests run
# several at once) never write the same file; removed once the units are installed.
string(MD5 destination "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
set(staging "${ARCHIVER_BINARY_DIR}/installed-units/${destination}")
foreach(unit archiver.service archiver-web.service)
  configure_file("${ARCHIVER_SOURCE_DIR}/systemd/${unit}.in" "${staging}/${unit}" @ONLY)
  file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system" TYPE FILE
    FILES "${staging}/${unit}")
endforeach()
file(REMOVE_RECURSE "${staging}")
