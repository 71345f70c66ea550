# `cpack -G DEB` (in the build folder) makes archiver_VERSION_ARCH.deb: everything
# cmake/install.cmake installs, laid out for the prefix /usr whatever prefix the build was
# configured with, plus the Debian files in packaging/deb (maintainer scripts, conffiles,
# copyright, changelog, lintian overrides). README.md, "Install as a Debian package".
set(ARCHIVER_DEB_MAINTAINER "archiver maintainers <maintainers@users.noreply.h-seed-02b07b5f.example>"
  CACHE STRING "Maintainer field of the .deb and its changelog: Name <address>")

set(CPACK_PACKAGE_NAME archiver)
set(CPACK_PACKAGE_VENDOR "archiver maintainers")
set(CPACK_PACKAGE_CONTACT "${ARCHIVER_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "crawler and archive of Chinese union newspapers")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The long description; CPack puts the summary above it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION [[archiver fetches the e-paper editions of Chinese trade union newspapers and
the articles of union websites on a schedule, and keeps every version of every
article, with its photos, page scans and PDFs, in one SQLite archive.
.
The archive can be searched (simplified and traditional Chinese find each
other), compared version by version, exported as JSON Lines, WARC or WACZ,
and browsed in a read-only web interface. The package ships the archiver
command, the systemd units archiver.service (the crawler daemon) and
archiver-web.service (the web interface), and an example configuration in
/etc/archiver.]])
# Library dependencies from dpkg-shlibdeps, and the tools the maintainer scripts run.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd | systemd-sysusers, systemd | systemd-tmpfiles")

set(ARCHIVER_DEB_SOURCE ${PROJECT_SOURCE_DIR}/packaging/deb)
set(ARCHIVER_DEB_BINARY ${PROJECT_BINARY_DIR}/packaging/deb)
# The changelog's date: configure time, or SOURCE_DATE_EPOCH for a reproducible package.
string(TIMESTAMP ARCHIVER_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(${ARCHIVER_DEB_SOURCE}/changelog.in ${ARCHIVER_DEB_BINARY}/changelog @ONLY)
configure_file(${ARCHIVER_DEB_SOURCE}/install_deb_files.cmake.in
  ${ARCHIVER_DEB_BINARY}/install_deb_files.cmake @ONLY)
set(CPACK_INSTALL_SCRIPTS ${ARCHIVER_DEB_BINARY}/install_deb_files.cmake)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${ARCHIVER_DEB_SOURCE}/conffiles ${ARCHIVER_DEB_SOURCE}/postinst ${ARCHIVER_DEB_SOURCE}/prerm
  ${ARCHIVER_DEB_SOURCE}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

include(CPack)
