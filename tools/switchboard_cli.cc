// The `switchboard` executable; the command line itself is RunCli (cli.h).
#include <iostream>

#include "cli.h"

int main(int argc, char** argv) { return switchboard::RunCli(argc, argv, std::cout, std::cerr); }
