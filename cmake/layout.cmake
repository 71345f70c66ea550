# The paths an installed archiver names: the binary a unit starts, the config file the units pass
# and the CLI looks for, the documentation a unit links. One rule for the configure step (the
# CLI's compiled-in default, the build tree's copies of the units) and for the install step
# (cmake/install_generated.cmake), where `cmake --install --prefix P` may name another prefix.
#
# The prefix /usr is the system's: its config lives in /etc, as GNUInstallDirs and Debian have
# it. Any other prefix keeps everything under itself (/usr/local/etc, P/etc), so an install never
# writes outside its prefix. BINDIR and DOCDIR are GNUInstallDirs' relative folders.
function(archiver_layout prefix bindir docdir)
  string(REGEX REPLACE "/+$" "" prefix "${prefix}")
  if(prefix STREQUAL "/usr" OR prefix STREQUAL "")
    set(sysconfdir "/etc")
  else()
    set(sysconfdir "${prefix}/etc")
  endif()
  set(ARCHIVER_SYSCONFDIR "${sysconfdir}" PARENT_SCOPE)
  set(ARCHIVER_CONFIG_FILE "${sysconfdir}/archiver/archiver.toml" PARENT_SCOPE)
  set(ARCHIVER_BINARY "${prefix}/${bindir}/archiver" PARENT_SCOPE)
  set(ARCHIVER_DOC_DIR "${prefix}/${docdir}" PARENT_SCOPE)
endfunction()
