# The installed layout: binary, man page, bash completion, documentation, systemd units,
# sysusers.d and tmpfiles.d files, example config. Configure with -DCMAKE_INSTALL_PREFIX=/usr for
# a system install (the .deb is always made for /usr, cmake/packaging.cmake); any other prefix,
# also one given later as `cmake --install build --prefix P`, keeps every file under itself
# (cmake/layout.cmake).
install(TARGETS archiver RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES systemd/archiver.sysusers.conf DESTINATION lib/sysusers.d RENAME archiver.conf)
install(FILES systemd/archiver.tmpfiles.conf DESTINATION lib/tmpfiles.d RENAME archiver.conf)
install(FILES docs/schema.md README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES completion/archiver DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)

# archiver(1) with the version filled in, compressed as Debian keeps man pages (gzip -n: no name
# or time stamp inside, so the same page gives the same bytes; -k keeps the page for the tests).
set(ARCHIVER_MAN_PAGE ${PROJECT_BINARY_DIR}/man/archiver.1)
configure_file(docs/archiver.1.in ${ARCHIVER_MAN_PAGE} @ONLY)
add_custom_command(OUTPUT ${ARCHIVER_MAN_PAGE}.gz
  COMMAND gzip -9nkf ${ARCHIVER_MAN_PAGE}
  DEPENDS ${ARCHIVER_MAN_PAGE}
  COMMENT "Compressing archiver.1"
  VERBATIM)
add_custom_target(archiver_man_page ALL DEPENDS ${ARCHIVER_MAN_PAGE}.gz)
install(FILES ${ARCHIVER_MAN_PAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# The build tree's copies of the units, for the tests (tests/install): they name the configured
# prefix.
archiver_layout("${CMAKE_INSTALL_PREFIX}" "${CMAKE_INSTALL_BINDIR}" "${CMAKE_INSTALL_DOCDIR}")
foreach(unit archiver.service archiver-web.service)
  configure_file(systemd/${unit}.in ${PROJECT_BINARY_DIR}/${unit} @ONLY)
endforeach()

# The example config and the units are placed at install time, for the prefix of that install
# (cmake/install_generated.cmake).
install(CODE "
  set(ARCHIVER_SOURCE_DIR [[${PROJECT_SOURCE_DIR}]])
  set(ARCHIVER_BINARY_DIR [[${PROJECT_BINARY_DIR}]])
  set(ARCHIVER_BINDIR [[${CMAKE_INSTALL_BINDIR}]])
  set(ARCHIVER_DOCDIR [[${CMAKE_INSTALL_DOCDIR}]])
")
install(SCRIPT cmake/install_generated.cmake)
