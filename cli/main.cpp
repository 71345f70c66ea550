// The archiver executable: everything lives in archiver_core; this only hands over argv.

#include "cli/app.hpp"

int main(int argc, char** argv) { return archiver::run_cli(argc, argv); }
