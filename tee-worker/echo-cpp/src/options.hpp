#pragma once

#include <cstddef>
#include <string>

#include "address.hpp"

namespace echo {

struct Options {
  SocketAddress listen;
  std::size_t max_clients = 1024;
  std::size_t max_line = 65536;  // bytes, not counting the '\n'
};

struct ParsedArgs {
  enum class Action { Run, Help, Fail };

  Action action = Action::Fail;
  Options options;    // meaningful when action == Run
  std::string error;  // set when action == Fail
};

// Parses the command line; never exits or prints, so the caller decides how to report.
ParsedArgs parse_args(int argc, const char* const* argv);

std::string usage_text();

}  // namespace echo
